// The master user gives a colleague access; the colleague activates from the e-mail (read
// from the .eml files the server writes without SMTP), enrols an authenticator with the
// shown secret, and logs in with password and code.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { USERS, expectText, freshCode, launch, login, logout, submitLogin, url, withPage } from './lib.mjs';

const EMPLOYER = '530-101';
const COLLEAGUE = { name: 'Sara Claes', email: 'sara.claes@peeters.test', password: 'rode fiets bij de Dijle' };
const MAIL_DIR = process.env.MAIL_DIR;

/** RFC 4648 base32 (as the enrolment page shows the secret) to bytes. */
function base32(text) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  const out = [];
  for (const c of text.replace(/[\s=]/g, '').toUpperCase()) {
    value = (value << 5) | alphabet.indexOf(c);
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/** The text body of an .eml file, decoded (quoted-printable or base64). */
function emlBody(raw) {
  const [head, ...rest] = raw.split(/\r?\n\r?\n/);
  const body = rest.join('\n\n');
  if (/content-transfer-encoding:\s*base64/i.test(head)) return Buffer.from(body.replace(/\s/g, ''), 'base64').toString('utf8');
  if (/content-transfer-encoding:\s*quoted-printable/i.test(head)) {
    const bytes = body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_, h) => String.fromCharCode(parseInt(h, 16)));
    return Buffer.from(bytes, 'latin1').toString('utf8');
  }
  return body;
}

/** Waits for the newest e-mail to `address` and returns the link in it that contains `marker`. */
async function linkFromMail(address, marker) {
  assert.ok(MAIL_DIR, 'MAIL_DIR is set by run.sh');
  for (let i = 0; i < 50; i++) {
    let files = [];
    try {
      files = readdirSync(MAIL_DIR).filter((f) => f.endsWith('.eml')).sort().reverse();
    } catch {}
    for (const file of files) {
      const raw = readFileSync(path.join(MAIL_DIR, file), 'utf8');
      if (!raw.toLowerCase().includes(`to: ${address}`)) continue;
      const found = emlBody(raw).match(new RegExp(`https?://\\S*${marker}\\S*`));
      if (found) return new URL(found[0]).pathname;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`no e-mail with ${marker} to ${address} in ${MAIL_DIR}`);
}

describe('giving a colleague access', () => {
  let browser;
  before(async () => {
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
  });

  test('the master adds a colleague who activates, enrols and logs in', async (t) => {
    await withPage(browser, t, async (page) => {
      await login(page, USERS.master);
      await page.getByRole('link', { name: 'Gebruikers' }).click();
      await page.waitForURL((u) => u.pathname === `/werkgevers/${EMPLOYER}/gebruikers`);
      await page.getByRole('link', { name: 'Gebruiker toevoegen' }).click();
      // A free-mail address is refused at the field, with what was typed kept.
      await page.locator('#name').fill(COLLEAGUE.name);
      await page.locator('#email').fill('sara.claes@gmail.com');
      await page.getByRole('button', { name: 'Opslaan' }).click();
      await expectText(page.locator('#email-error'), /gratis provider/);
      assert.equal(await page.locator('#name').inputValue(), COLLEAGUE.name);
      await page.locator('#email').fill(COLLEAGUE.email);
      await page.getByRole('button', { name: 'Opslaan' }).click();
      await page.waitForURL((u) => u.pathname === `/werkgevers/${EMPLOYER}/gebruikers`);
      const row = page.locator(`tr[data-email="${COLLEAGUE.email}"]`);
      await expectText(row.locator('.user-status'), 'Uitgenodigd');
      await logout(page);
    });

    const activation = await linkFromMail(COLLEAGUE.email, '/activeren/');
    let secret;
    await withPage(browser, t, async (page) => {
      await page.goto(url(activation));
      await page.locator('#password').fill(COLLEAGUE.password);
      await page.locator('#password_repeat').fill(COLLEAGUE.password);
      await page.getByRole('button', { name: 'Wachtwoord opslaan' }).click();
      await page.waitForURL((u) => u.pathname === '/2fa/instellen');
      assert.equal(await page.locator('.qr svg').count(), 1, 'a QR code is shown');
      secret = base32(await page.locator('#totp-secret').innerText());
      await page.locator('#code').fill(await freshCode(COLLEAGUE.email, secret));
      await page.getByRole('button', { name: 'Registratie afronden' }).click();
      await expectText(page.locator('h1'), 'Uw apparaat is geregistreerd');
      assert.equal(await page.locator('.recovery-codes li').count(), 10);
      await page.getByRole('link', { name: 'Verder' }).click();
      await logout(page);
    });

    await withPage(browser, t, async (page) => {
      await submitLogin(page, COLLEAGUE.email, COLLEAGUE.password);
      await page.waitForURL((u) => u.pathname === '/login/code');
      await page.locator('input[name="code"]').fill(await freshCode(COLLEAGUE.email, secret));
      await page.getByRole('button', { name: 'Aanmelden' }).click();
      await page.waitForURL((u) => u.pathname === `/werkgevers/${EMPLOYER}`);
      await expectText(page.locator('body'), 'Bouwbedrijf Peeters NV');
      // Consult rights: no "Gebruikers" in the menu.
      assert.equal(await page.getByRole('link', { name: 'Gebruikers' }).count(), 0);
    });
  });
});

describe('inviting someone who already has an account', () => {
  let browser;
  before(async () => {
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
  });

  test('the holder decides: no access until they accept after logging in', async (t) => {
    const holder = 'greet.claes@delinde.test'; // master at 530-202 only
    await withPage(browser, t, async (page) => {
      await login(page, USERS.master);
      await page.goto(url(`/werkgevers/${EMPLOYER}/gebruikers/nieuw`));
      await page.locator('#name').fill('Greet Claes');
      await page.locator('#email').fill(holder);
      await page.getByRole('button', { name: 'Opslaan' }).click();
      await page.waitForURL((u) => u.pathname === `/werkgevers/${EMPLOYER}/gebruikers`);
      await expectText(page.locator('table.invitations'), holder);
      await logout(page);
    });
    await withPage(browser, t, async (page) => {
      // Not yet accepted: employer 530-101 does not exist for her.
      await login(page, holder);
      assert.equal(new URL(page.url()).pathname, '/werkgevers', 'an invitation waits on the picker');
      const response = await page.goto(url(`/werkgevers/${EMPLOYER}`));
      assert.equal(response.status(), 404);
      await page.goto(url('/werkgevers'));
      await expectText(page.locator('.invitations'), 'Bouwbedrijf Peeters NV');
      await page.getByRole('button', { name: 'Aanvaarden' }).click();
      await page.waitForURL((u) => u.pathname === `/werkgevers/${EMPLOYER}`);
      await expectText(page.locator('body'), 'Bouwbedrijf Peeters NV');
    });
  });
});

// Accessibility: axe-core (npm) in Chromium on every page of the three main flows — login,
// looking up an employee, the e-mail round trip's pages — in Dutch, French and English, each
// by a demo user who reads that language (each account used by this file only). No serious or critical violation is allowed.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { after, before, describe, test } from 'node:test';
import { launch, login, url, withPage } from './lib.mjs';

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

const READERS = [
  { lang: 'nl', locale: 'nl-BE', email: 'jan.maes@peeters.test', employer: '530-101' },
  // Not Sophie Dubois: french.test.mjs logs her in at the same time, and one account's
  // TOTP steps are used once each.
  { lang: 'fr', locale: 'fr-BE', email: 'camille.lambert@delinde.test', employer: '530-202' },
  { lang: 'en', locale: 'en-GB', email: 'emma.wilson@peeters.test', employer: '530-101' },
];

/** The serious and critical violations axe finds on the page shown now. */
async function violations(page) {
  // Evaluated through the DevTools protocol: the page's CSP (script-src 'self') stays on.
  await page.evaluate(AXE);
  const found = await page.evaluate(async () => {
    const result = await window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
      resultTypes: ['violations'],
    });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')),
    }));
  });
  return found.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

async function check(page, t, lang, path) {
  const response = await page.goto(url(path));
  assert.ok(response.ok(), `${path} answered ${response.status()}`);
  assert.equal(await page.locator('html').getAttribute('lang'), lang, `${path} is in ${lang}`);
  const found = await violations(page);
  t.diagnostic(`${lang} ${path}: ${found.length} serious or critical`);
  assert.deepEqual(found, [], `${lang} ${path}: ${JSON.stringify(found, null, 1)}`);
}

describe('axe-core finds no serious or critical violation', () => {
  let browser;
  before(async () => {
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
  });

  test('axe finds a violation planted in a page (the check can fail)', async (t) => {
    await withPage(browser, t, async (page) => {
      await page.goto(url('/login'));
      await page.evaluate(() => {
        const img = document.createElement('img');
        img.src = '/static/none.png';
        document.querySelector('main').append(img);
      });
      const found = await violations(page);
      assert.ok(
        found.some((v) => v.id === 'image-alt'),
        `an image without alt text is reported: ${JSON.stringify(found)}`,
      );
    });
  });

  for (const reader of READERS) {
    test(`${reader.lang}: login, employees and the round trip's pages`, async (t) => {
      await withPage(
        browser,
        t,
        async (page) => {
          await check(page, t, reader.lang, '/login');
          await check(page, t, reader.lang, '/wachtwoord-vergeten');
          await login(page, reader.email);
          const home = `/werkgevers/${reader.employer}`;
          await check(page, t, reader.lang, home);
          await check(page, t, reader.lang, `${home}/werknemers`);
          const employee = await page.locator('table.employees tbody a').first().getAttribute('href');
          assert.ok(employee, 'the list has an employee');
          await check(page, t, reader.lang, employee);
          await check(page, t, reader.lang, `${employee}/verplaatsen`);
          await check(page, t, reader.lang, `${home}/downloads`);
          await check(page, t, reader.lang, `${home}/uploads`);
          await check(page, t, reader.lang, `${home}/premies`);
          await check(page, t, reader.lang, `${home}/contact`);
          await check(page, t, reader.lang, `${home}/correspondentie`);
          await check(page, t, reader.lang, `${home}/documenten`);
          // The page of a download request: the round trip starts there.
          await page.goto(url(`${home}/downloads`));
          await Promise.all([
            page.waitForURL((u) => /\/acties\/\d+$/.test(u.pathname)),
            page.locator('#request-insured').click(),
          ]);
          await check(page, t, reader.lang, new URL(page.url()).pathname);
          await check(page, t, reader.lang, `${home}/acties`);
          await check(page, t, reader.lang, `${home}/aansluitingen/nieuw`);
          await check(page, t, reader.lang, '/mijn-account');
        },
        { locale: reader.locale },
      );
    });
  }
});

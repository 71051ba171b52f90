// "Mail naar uw contactpunt" in the demo: the master of Bouwbedrijf Peeters writes to the
// administrative contact point from the employer's home page, with a PDF attached; the
// operator reads it in the console's inbox and answers; the master reads the answer under
// Correspondentie, where the thread now says Beantwoord.
import { after, before, describe, test } from 'node:test';
import { USERS, expectText, launch, login, url, withPage } from './lib.mjs';

const HOME = '/werkgevers/530-101';
const OPERATOR = 'operator@ebdesk.test';
const SUBJECT = `Vraag over de loonlijst ${Date.now()}`;
const ANSWER = 'Uw loonlijst is goed ontvangen en verwerkt.';

describe('Mail naar uw contactpunt', () => {
  let browser;
  before(async () => {
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
  });

  test('a message to the administrative contact point gets an answer the master reads', async (t) => {
    let threadPath;
    await withPage(browser, t, async (page) => {
      await login(page, USERS.master);
      await page.goto(url(HOME));
      await page.locator('#write-administrative').click();
      await expectText(page.locator('h1'), 'Mail naar uw contactpunt');
      await page.getByLabel('Onderwerp').fill(SUBJECT);
      await page.getByLabel('Bericht', { exact: true }).fill('Dag,\nIs onze loonlijst goed aangekomen?');
      await page.getByLabel('Bijlage (niet verplicht)').setInputFiles({
        name: 'loonlijst.pdf',
        mimeType: 'application/pdf',
        buffer: Buffer.from('%PDF-1.4\n% loonlijst\n%%EOF\n'),
      });
      await Promise.all([
        page.waitForURL((u) => /\/correspondentie\/\d+$/.test(u.pathname)),
        page.locator('#send-message').click(),
      ]);
      await expectText(page.locator('#notice'), 'Uw bericht is verstuurd.');
      await expectText(page.locator('.messages'), /loonlijst\.pdf/);
      threadPath = new URL(page.url()).pathname;
    });

    await withPage(browser, t, async (page) => {
      await login(page, OPERATOR);
      await page.goto(url('/beheer/berichten'));
      await page.getByRole('link', { name: SUBJECT }).click();
      await expectText(page.locator('h1'), SUBJECT);
      await page.getByLabel('Bericht', { exact: true }).fill(ANSWER);
      await page.locator('#send-reply').click();
      await expectText(page.locator('#notice'), 'Het antwoord is verstuurd.');
    });

    await withPage(browser, t, async (page) => {
      await login(page, USERS.master);
      await page.goto(url(`${HOME}/correspondentie`));
      const row = page.locator('tr.thread', { has: page.getByRole('link', { name: SUBJECT }) });
      await expectText(row, /Beantwoord/);
      await page.getByRole('link', { name: SUBJECT }).click();
      await expectText(page.locator('.messages .from-operator'), ANSWER);
      t.diagnostic(`thread ${threadPath} answered`);
    });
  });
});

// The premium cycle as HR sees it in the demo: "Aangerekende premies" lists the statements of
// the last two months with what was paid and what is late; the PDF summary downloads; the
// month's workbook is requested on the downloads page and made by the worker. The consult
// user of the first contract sees that contract only, in every one of these.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { USERS, expectText, launch, login, url, withPage } from './lib.mjs';

const HOME = '/werkgevers/530-101';
const JOB_TIMEOUT = 60_000;

describe('Aangerekende premies and the Premiebordereel', () => {
  let browser;
  before(async () => {
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
  });

  test('the master sees paid and late charges, downloads the PDF and the workbook', async (t) => {
    await withPage(browser, t, async (page) => {
      await login(page, USERS.master);
      await page.getByRole('navigation').getByRole('link', { name: 'Aangerekende premies' }).click();
      await expectText(page.locator('h1'), /Aangerekende premies/);
      const statuses = await page.locator('.charge .status').allTextContents();
      assert.ok(statuses.includes('Betaald'), `a paid charge: ${statuses}`);
      assert.ok(statuses.includes('Te laat'), `a late charge: ${statuses}`);
      const communications = await page.locator('.charge code').allTextContents();
      assert.ok(communications.every((c) => /^\+\+\+\d{3}\/\d{4}\/\d{5}\+\+\+$/.test(c)), `${communications}`);

      const pdfLink = page.locator('section.statement a', { hasText: 'PDF' }).first();
      const [pdf] = await Promise.all([page.waitForEvent('download'), pdfLink.click()]);
      assert.match(pdf.suggestedFilename(), /^Premiebordereel_\d{4}-\d{2}\.pdf$/);
      const bytes = readFileSync(await pdf.path());
      assert.equal(bytes.subarray(0, 5).toString(), '%PDF-');

      await page.goto(url(`${HOME}/downloads`));
      const month = await page.locator('#statement-month option').first().getAttribute('value');
      await Promise.all([
        page.waitForURL((u) => /\/acties\/\d+$/.test(u.pathname)),
        page.locator('#request-statement').click(),
      ]);
      await expectText(page.locator('h1'), /Premiebordereel/);
      const link = page.locator('#live a.download');
      await link.waitFor({ state: 'visible', timeout: JOB_TIMEOUT });
      const [workbook] = await Promise.all([page.waitForEvent('download'), link.click()]);
      assert.match(workbook.suggestedFilename(), /\.xlsx$/);
      assert.ok(readFileSync(await workbook.path()).length > 1000);
      t.diagnostic(`statement ${month}: ${workbook.suggestedFilename()}`);

      await page.goto(url(`${HOME}/acties`));
      await expectText(page.locator('main'), /Premiebordereel/);
    });
  });

  test('the consult user of the first contract sees that contract only', async (t) => {
    await withPage(browser, t, async (page) => {
      await login(page, USERS.consult);
      await page.goto(url(`${HOME}/premies`));
      const contracts = await page.locator('.charge th').allTextContents();
      assert.ok(contracts.length > 0);
      assert.ok(contracts.every((c) => c === '530/000101'), `${contracts}`);
    });
  });
});

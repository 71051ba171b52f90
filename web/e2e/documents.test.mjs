// "Documenten" in the demo: the operator publishes a letter for Bouwbedrijf Peeters; the
// master finds it marked new, downloads it, and it is new no more; the consult user of the
// first contract does not see the regulation of the second contract, which the master does.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { USERS, expectText, launch, login, url, withPage } from './lib.mjs';

const HOME = '/werkgevers/530-101';
const OPERATOR = 'operator@ebdesk.test';
const LETTER = `Brief over de jaarafrekening ${Date.now()}`;
const REGULATION = 'Pensioenreglement arbeiders';

/** The row of the documents list whose link reads `title`. */
function row(page, title) {
  return page.locator('tr.document', { has: page.getByRole('link', { name: title, exact: true }) });
}

describe('Documenten', () => {
  let browser;
  before(async () => {
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
  });

  test('the operator publishes a letter; the master sees it new, opens it, and it is new no more', async (t) => {
    await withPage(browser, t, async (page) => {
      await login(page, OPERATOR);
      await page.goto(url('/beheer/werkgevers/530-101'));
      await page.locator('#employer-documents').click();
      await expectText(page.locator('h1'), /Documenten/);
      await page.getByLabel('Titel').fill(LETTER);
      await page.getByLabel('Rubriek').selectOption({ label: 'Correspondentie' });
      await page.getByLabel('Bestand').setInputFiles({
        name: 'jaarafrekening.pdf',
        mimeType: 'application/pdf',
        buffer: Buffer.from('%PDF-1.4\n% brief\n%%EOF\n'),
      });
      await page.getByRole('button', { name: 'Publiceren' }).click();
      await expectText(page.locator('#notice'), /Het document is gepubliceerd/);
      await expectText(page.locator('#published-documents'), LETTER);

      // The same operator keeps the plan: a rule for next year, a mistake first.
      await page.goto(url('/beheer/werkgevers/530-101'));
      await page.locator('#employer-plans').click();
      await expectText(page.locator('h1'), /Categorieën en pensioenregels/);
      const nextYear = new Date().getFullYear() + 1;
      const form = page.locator('#add-plan-rule');
      await form.locator('#category').selectOption({ index: 1 });
      await form.locator('#from').fill(`01/01/${nextYear}`);
      await form.locator('#rate').fill('vijf');
      await page.locator('#save-plan-rule').click();
      await expectText(page.locator('#rate-error'), /geen percentage/);
      await page.locator('#add-plan-rule #rate').fill('5,25');
      await page.locator('#save-plan-rule').click();
      await expectText(page.locator('#notice'), /De regel is toegevoegd/);
      await expectText(page.locator('main'), `vanaf 01/01/${nextYear}: 5,25`);
    });
    await withPage(browser, t, async (page) => {
      await login(page, USERS.master);
      await page.getByRole('navigation').getByRole('link', { name: 'Documenten' }).click();
      await expectText(page.locator('h1'), /Documenten/);
      const letter = row(page, LETTER);
      await expectText(letter.locator('.new-mark'), /nieuw/);
      assert.equal(await letter.locator('td').first().isVisible(), true);
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        letter.getByRole('link', { name: LETTER }).click(),
      ]);
      assert.match(download.suggestedFilename(), /^Brief over de jaarafrekening \d+\.pdf$/);
      assert.equal(readFileSync(await download.path()).subarray(0, 5).toString(), '%PDF-');
      await page.reload();
      await row(page, LETTER).waitFor();
      assert.equal(await row(page, LETTER).locator('.new-mark').count(), 0);
      // Still new: the demo's documents the master has not opened.
      assert.ok((await page.locator('.new-mark').count()) > 0);
      await row(page, REGULATION).waitFor();
    });
  });

  test('the consult user of the first contract does not see the second contract\'s regulation', async (t) => {
    await withPage(browser, t, async (page) => {
      await login(page, USERS.consult);
      await page.goto(url(`${HOME}/documenten`));
      await expectText(page.locator('#kind-legal'), /Pensioenreglement \(alle contracten\)/);
      assert.equal(await page.getByText(REGULATION).count(), 0);
      // The issued statements are among the payment documents, as links to their PDF.
      const statement = page.locator('#kind-premium_payment a', { hasText: 'Premiebordereel' }).first();
      assert.match(await statement.getAttribute('href'), /\/premies\/\d{4}-\d{2}\/pdf$/);
      // Searching for it by its title finds nothing either.
      const search = await page.goto(url(`${HOME}/documenten?q=arbeiders`));
      assert.equal(search.status(), 200);
      assert.equal(await page.getByText(REGULATION).count(), 0);
    });
  });
});

// The round trip once in French: a French browser gets the login page in French, Sophie
// Dubois (input rights at 530-202, her account reads French) logs in, downloads "Aperçu des
// assurés" (French sheet and headers), fills it with openpyxl as her spreadsheet program
// would, uploads it, sees the preview in French and applies the valid rows. Runs at 530-202
// so that it never touches the rows the Dutch round trip (530-101) fills at the same time.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { expectText, launch, login, url, withPage } from './lib.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const SOPHIE = 'sophie.dubois@delinde.test';
const HOME = '/werkgevers/530-202';
const JOB_TIMEOUT = 60_000;
const ACTION_PATH = new RegExp(`^${HOME}/acties/(\\d+)$`);
const squash = (s) => String(s ?? '').replace(/\s+/g, ' ').trim();
const FRENCH = { locale: 'fr-BE' };

describe('En français: connexion et aller-retour des adresses e-mail', () => {
  let browser;
  let work;
  before(async () => {
    browser = await launch();
    work = mkdtempSync(path.join(os.tmpdir(), 'ebdesk-e2e-fr-'));
  });
  after(async () => {
    await browser?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  test('a French browser sees the login in French, and can switch it', async (t) => {
    await withPage(
      browser,
      t,
      async (page) => {
        await page.goto(url('/login'));
        assert.equal(await page.locator('html').getAttribute('lang'), 'fr');
        await expectText(page.locator('h1'), 'Connexion');
        await page.locator('.language-switch a[hreflang="nl"]').click();
        await expectText(page.locator('h1'), 'Aanmelden');
        // The choice is kept: the next page is Dutch too, whatever the browser says.
        await page.goto(url('/wachtwoord-vergeten'));
        assert.equal(await page.locator('html').getAttribute('lang'), 'nl');
      },
      FRENCH,
    );
  });

  test('Sophie downloads the workbook in French, fills it in, uploads it and applies it', async (t) => {
    await withPage(
      browser,
      t,
      async (page) => {
        await login(page, SOPHIE);
        await page.waitForURL((u) => u.pathname === HOME);
        assert.equal(await page.locator('html').getAttribute('lang'), 'fr');
        await expectText(page.locator('nav.menu'), 'Travailleurs');

        // 1. The download, in French.
        await Promise.all([
          page.waitForURL((u) => ACTION_PATH.test(u.pathname)),
          page.locator('#request-insured').click(),
        ]);
        await expectText(page.locator('#live .action-status'), 'Disponible', JOB_TIMEOUT);
        const link = page.locator('#live a.download');
        await link.waitFor({ state: 'visible', timeout: JOB_TIMEOUT });
        const [download] = await Promise.all([page.waitForEvent('download', { timeout: JOB_TIMEOUT }), link.click()]);
        assert.match(download.suggestedFilename(), /^Aperçu des assurés 530-202 .*\.xlsx$/);
        const downloaded = path.join(work, 'apercu.xlsx');
        await download.saveAs(downloaded);
        assert.ok(statSync(downloaded).size > 1000, 'a real workbook was downloaded');

        // 2. Filled by openpyxl, which finds the French sheet and headers.
        const edited = path.join(work, 'apercu-rempli.xlsx');
        const filled = JSON.parse(
          execFileSync('python3', [path.join(here, 'fill_emails.py'), downloaded, edited, 'delinde.test'], {
            encoding: 'utf8',
            timeout: JOB_TIMEOUT,
          }),
        );
        assert.equal(filled.sheet, 'Assurés');
        assert.equal(filled.filled.length, 3);

        // 3. Uploaded; the preview speaks French, the error names the French column.
        await page.goto(url(`${HOME}/uploads`));
        await page.locator('#bestand').setInputFiles(edited);
        await Promise.all([
          page.waitForURL((u) => ACTION_PATH.test(u.pathname), { timeout: JOB_TIMEOUT }),
          page.locator('#upload-submit').click(),
        ]);
        const uploadAction = new URL(page.url()).pathname;
        await page.locator('#apply-valid').waitFor({ state: 'visible', timeout: JOB_TIMEOUT });
        assert.equal(squash(await page.locator('#count-new').textContent()), '3');
        assert.equal(squash(await page.locator('#count-errors').textContent()), '1');
        const errorCells = (await page.locator('table.preview-errors tbody tr').first().locator('td').allTextContents()).map(
          squash,
        );
        assert.equal(errorCells[1], 'Adresse e-mail professionnelle');
        assert.equal(errorCells[2], 'geen-adres');
        assert.match(errorCells[3], /adresse e-mail/i, `a French reason, got "${errorCells[3]}"`);

        await Promise.all([
          page.waitForResponse(
            (r) => r.request().method() === 'POST' && new URL(r.url()).pathname === `${uploadAction}/toepassen`,
          ),
          page.locator('#apply-valid').click(),
        ]);
        await page.waitForURL((u) => u.pathname === uploadAction && !u.searchParams.has('geweigerd'));
        await expectText(page.locator('#live .action-status'), 'Traité', JOB_TIMEOUT);
      },
      FRENCH,
    );
  });
});

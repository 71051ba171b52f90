// "Overzicht verzekerden" round trip, as the demo master user of 530-101: request the
// download on the home page and watch the action page update itself (live.js, no reload),
// download the workbook, fill in business e-mails with openpyxl (fill_emails.py, as a
// user's spreadsheet program would), upload it, check the preview and apply the valid rows,
// then see a new address on the employee's page. A consult user gets no upload form.
//
// Needs python3 with openpyxl; web/e2e/run.sh installs it when missing.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { USERS, expectText, launch, login, url, withPage } from './lib.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const EMPLOYER = '530-101';
const HOME = `/werkgevers/${EMPLOYER}`;
/** Waiting for a job (download, check of an upload): never more than a minute per step. */
const JOB_TIMEOUT = 60_000;
const ACTION_PATH = new RegExp(`^${HOME}/acties/(\\d+)$`);

const digits = (s) => String(s).replace(/\D/g, '');
const squash = (s) => String(s ?? '').replace(/\s+/g, ' ').trim();

/** Marks the document, so that a later check can tell whether the page was reloaded. */
async function markDocument(page) {
  await page.evaluate(() => {
    window.__e2eSameDocument = true;
  });
}

async function sameDocument(page) {
  return page.evaluate(() => window.__e2eSameDocument === true);
}

/** Whether the action page still updates itself (its #live part carries data-live). */
async function isLive(page) {
  return (await page.locator('#live[data-live]').count()) > 0;
}

/**
 * Waits (without reloading) until the action's status in #live reads `wanted`: 'shown', or
 * what went wrong instead (the #live part vanished, or the page stopped updating).
 */
async function liveStatus(page, wanted) {
  const handle = await page.waitForFunction(
    (wanted) => {
      const live = document.getElementById('live');
      if (!live) return 'the #live part of the page is gone';
      const status = live.querySelector('.action-status');
      const text = status ? status.textContent.replace(/\s+/g, ' ').trim() : '';
      if (text === wanted) return 'shown';
      if (!live.dataset.live) return `the page stopped updating at status "${text}"`;
      return false;
    },
    wanted,
    { timeout: JOB_TIMEOUT, polling: 100 },
  );
  return handle.jsonValue();
}

describe('Overzicht verzekerden: download, edit with openpyxl, upload', () => {
  let browser;
  let work;
  before(async () => {
    browser = await launch();
    work = mkdtempSync(path.join(os.tmpdir(), 'ebdesk-e2e-upload-'));
  });
  after(async () => {
    await browser?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  test('the master user downloads, fills in e-mails, uploads and applies the valid rows', async (t) => {
    await withPage(browser, t, async (page) => {
      await login(page, USERS.master);
      await page.waitForURL((u) => u.pathname === HOME);

      // 1. Request the download on the home page; the action page follows the job by itself.
      // Should the job be done before its page is first shown (it takes well under a second),
      // there is nothing left to follow: request it again, at most three times.
      const status = page.locator('#live .action-status');
      let downloadAction;
      let initialStatus;
      for (let attempt = 1; ; attempt++) {
        await Promise.all([
          page.waitForURL((u) => ACTION_PATH.test(u.pathname)),
          page.locator('#request-insured').click(),
        ]);
        downloadAction = new URL(page.url()).pathname;
        await expectText(page.locator('h1'), 'Overzicht verzekerden');
        initialStatus = squash(await status.textContent());
        if (await isLive(page)) break;
        assert.ok(attempt < 3, `the download was ready before its page showed, ${attempt} times (status "${initialStatus}")`);
        t.diagnostic(`download ${downloadAction} was ready before its page showed; requesting again`);
        await page.goto(url(HOME));
      }
      assert.notEqual(initialStatus, 'Beschikbaar');
      await markDocument(page);
      const outcome = await liveStatus(page, 'Beschikbaar');
      assert.equal(outcome, 'shown', `the status should turn to Beschikbaar without a reload: ${outcome}`);
      const link = page.locator('#live a.download');
      await link.waitFor({ state: 'visible', timeout: JOB_TIMEOUT });
      assert.ok(await sameDocument(page), 'the status changed without a reload (live.js)');
      assert.equal(new URL(page.url()).pathname, downloadAction);
      assert.equal(await isLive(page), false, 'the page stops updating once the file is there');
      t.diagnostic(`download ${downloadAction}: "${initialStatus}" -> Beschikbaar without a reload`);

      const [download] = await Promise.all([page.waitForEvent('download', { timeout: JOB_TIMEOUT }), link.click()]);
      assert.match(download.suggestedFilename(), /\.xlsx$/i);
      const downloaded = path.join(work, 'overzicht-verzekerden.xlsx');
      await download.saveAs(downloaded);
      assert.ok(statSync(downloaded).size > 1000, 'a real workbook was downloaded');

      // 2. Fill in the sheet with openpyxl: 3 new addresses, 1 invalid one.
      const edited = path.join(work, 'overzicht-verzekerden-ingevuld.xlsx');
      const filled = JSON.parse(
        execFileSync('python3', [path.join(here, 'fill_emails.py'), downloaded, edited], {
          encoding: 'utf8',
          timeout: JOB_TIMEOUT,
        }),
      );
      assert.equal(filled.filled.length, 3);
      t.diagnostic(
        `filled rows ${filled.filled.map((f) => f.row).join(', ')}; "${filled.invalid.value}" on row ${filled.invalid.row}; ` +
          `${filled.rows} rows, ${filled.employees} employees`,
      );

      // 3. Upload it through the form and wait for the preview.
      await page.goto(url(`${HOME}/uploads`));
      await page.locator('#bestand').setInputFiles(edited);
      await Promise.all([
        page.waitForURL((u) => ACTION_PATH.test(u.pathname), { timeout: JOB_TIMEOUT }),
        page.locator('#upload-submit').click(),
      ]);
      const uploadAction = new URL(page.url()).pathname;
      assert.notEqual(uploadAction, downloadAction);
      const checkedLive = await isLive(page);
      await markDocument(page);
      await page.locator('#count-new').waitFor({ state: 'visible', timeout: JOB_TIMEOUT });
      await page.locator('#apply-valid').waitFor({ state: 'visible', timeout: JOB_TIMEOUT });
      if (checkedLive) {
        assert.ok(await sameDocument(page), 'the preview appeared without a reload (live.js)');
      }
      assert.equal(new URL(page.url()).pathname, uploadAction);
      assert.equal(await page.locator('#rejection').count(), 0, 'the file is not refused');
      assert.equal(await page.locator('#live .action-status').count(), 1, 'the status stays on the page with the preview');

      const count = async (id) => squash(await page.locator(`#${id}`).textContent());
      assert.deepEqual(
        {
          rows: await count('count-rows'),
          new: await count('count-new'),
          changed: await count('count-changed'),
          removed: await count('count-removed'),
          unchanged: await count('count-unchanged'),
          errors: await count('count-errors'),
        },
        {
          rows: String(filled.rows),
          new: '3',
          changed: '0',
          removed: '0',
          unchanged: String(filled.employees - 4),
          errors: '1',
        },
        'the preview counts',
      );
      // With an error, only "apply the valid rows" is offered.
      assert.equal(await page.locator('#apply-all').count(), 0);
      assert.equal(await page.locator('#cancel').count(), 1);

      // The error row: its row number, the column, the value and a Dutch reason.
      const errorRows = page.locator('table.preview-errors tbody tr');
      assert.equal(await errorRows.count(), 1);
      const cells = (await errorRows.first().locator('td').allTextContents()).map(squash);
      assert.equal(cells[0], String(filled.invalid.row), 'the row number as in the sheet');
      assert.equal(cells[1], 'Zakelijk e-mailadres');
      assert.equal(cells[2], 'geen-adres');
      assert.match(cells[3], /e-mailadres/i, `a Dutch reason, got "${cells[3]}"`);
      assert.match(cells[3], /@/, `the reason says what is missing, got "${cells[3]}"`);

      // The three new addresses are listed as changes, on their rows.
      const changes = page.locator('table.preview-changes tbody tr.change-new');
      assert.equal(await changes.count(), 3);
      for (const f of filled.filled) {
        const row = changes.filter({ hasText: f.email });
        assert.equal(await row.count(), 1, `the change for row ${f.row} is listed`);
        const rowCells = (await row.locator('td').allTextContents()).map(squash);
        assert.equal(rowCells[0], String(f.row));
        assert.equal(digits(rowCells[2]), digits(f.national_number));
      }

      await Promise.all([
        page.waitForResponse(
          (r) => r.request().method() === 'POST' && new URL(r.url()).pathname === `${uploadAction}/toepassen`,
        ),
        page.locator('#apply-valid').click(),
      ]);
      await page.waitForURL((u) => u.pathname === uploadAction && !u.searchParams.has('geweigerd'));
      await page.waitForLoadState('load');
      assert.equal(await page.locator('#refusal').count(), 0, 'the decision is not refused');
      await expectText(page.locator('#live .action-status'), 'Verwerkt', JOB_TIMEOUT);
      assert.equal(await page.locator('#apply-valid').count(), 0, 'no second decision');

      // 4. The employees' pages show the new addresses; the row with the error changed nothing.
      const employeePage = async (person) => {
        const q = `${person.last_name} ${person.first_name}`;
        await page.goto(url(`${HOME}/werknemers?q=${encodeURIComponent(q)}`));
        // Lists show the national number masked, birth date only: YY.MM.DD-***.**
        const born = person.national_number.slice(0, 9);
        const row = page.locator('table.employees tbody tr').filter({ has: page.locator('td.mono', { hasText: born }) });
        await row.first().waitFor({ state: 'visible' });
        assert.equal(await row.count(), 1, `one employee born ${born} among the results for "${q}"`);
        await Promise.all([
          page.waitForURL((u) => new RegExp(`^${HOME}/werknemers/[^/]+$`).test(u.pathname)),
          row.locator('a').first().click(),
        ]);
        await expectText(page.locator('h1'), `${person.last_name}, ${person.first_name}`);
        const shown = await page.locator('dd.mono').first().textContent();
        assert.equal(digits(shown), digits(person.national_number));
      };
      // The "Zakelijk e-mailadres" of the employee's facts.
      const businessEmail = page.locator('dl.facts dt:text-is("Zakelijk e-mailadres") + dd');

      for (const f of filled.filled) {
        await employeePage(f);
        assert.equal(squash(await businessEmail.textContent()), f.email, `the new address of row ${f.row}`);
      }
      await employeePage(filled.invalid);
      assert.equal(squash(await businessEmail.textContent()), '—', 'the row with the error changed nothing');
    });
  });

  test('a consult user gets no upload form', async (t) => {
    await withPage(browser, t, async (page) => {
      await login(page, USERS.consult);
      await page.waitForURL((u) => u.pathname === HOME);
      // The home page says why there is no upload, and has no form for it.
      assert.equal(await page.locator('#bestand').count(), 0);
      assert.equal(await page.locator('#upload-submit').count(), 0);
      await expectText(page.locator('main'), 'opladen kan niet');

      const response = await page.goto(url(`${HOME}/uploads`));
      assert.equal(response.status(), 403);
      assert.equal(await page.locator('html').getAttribute('lang'), 'nl');
      await expectText(page.locator('h1'), 'Geen toegang');
      await expectText(page.locator('main'), 'U hebt niet de rechten');
      assert.equal(await page.locator('#bestand').count(), 0, 'no upload form on the 403 page');
      const body = await page.locator('body').innerText();
      assert.doesNotMatch(body, /panicked|backtrace|stack|\.rs:\d+|AppError|Forbidden|Traceback/i);
    });
  });
});

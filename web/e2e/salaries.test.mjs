// "Invullijst salarissen" round trip, as the demo master user of 530-101: request this
// year's list on the downloads page, download it when the action says Beschikbaar, fill it
// with openpyxl (fill_salaries.py, as a user's spreadsheet program would), upload it with
// the year, check the preview's counts, apply everything and see the action Verwerkt; then
// the operator issues this month's statement and its workbook charges the new salaries.
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

const squash = (s) => String(s ?? '').replace(/\s+/g, ' ').trim();

describe('Invullijst salarissen: download, fill in with openpyxl, upload, apply', () => {
  let browser;
  let work;
  before(async () => {
    browser = await launch();
    work = mkdtempSync(path.join(os.tmpdir(), 'ebdesk-e2e-salaries-'));
  });
  after(async () => {
    await browser?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  test('the master user fills in the salary list of this year and applies it', async (t) => {
    await withPage(browser, t, async (page) => {
      await login(page, USERS.master);
      await page.waitForURL((u) => u.pathname === HOME);

      // 1. The downloads page offers the years around this one, this year chosen.
      await page.goto(url(`${HOME}/downloads`));
      const year = String(new Date().getFullYear());
      assert.equal(await page.locator('#salary-year').inputValue(), year);
      await Promise.all([
        page.waitForURL((u) => ACTION_PATH.test(u.pathname)),
        page.locator('#request-salary-list').click(),
      ]);
      await expectText(page.locator('h1'), 'Invullijst salarissen');
      const link = page.locator('#live a.download');
      await link.waitFor({ state: 'visible', timeout: JOB_TIMEOUT });
      await expectText(page.locator('#live .action-status'), 'Beschikbaar', JOB_TIMEOUT);
      const [download] = await Promise.all([page.waitForEvent('download', { timeout: JOB_TIMEOUT }), link.click()]);
      assert.match(download.suggestedFilename(), new RegExp(`${year}\\.xlsx$`));
      const downloaded = path.join(work, 'invullijst.xlsx');
      await download.saveAs(downloaded);
      assert.ok(statSync(downloaded).size > 1000, 'a real workbook was downloaded');

      // 2. Fill in every row with openpyxl: "52.000,50" style amounts, "80 %" and 1.
      const edited = path.join(work, 'invullijst-ingevuld.xlsx');
      const filled = JSON.parse(
        execFileSync('python3', [path.join(here, 'fill_salaries.py'), downloaded, edited], {
          encoding: 'utf8',
          timeout: JOB_TIMEOUT,
        }),
      );
      assert.ok(filled.rows > 0, 'the list has rows');
      t.diagnostic(`filled ${filled.rows} rows`);

      // 3. Upload it with its year through the second form of the uploads page.
      await page.goto(url(`${HOME}/uploads`));
      await page.locator('#salary-upload-year').selectOption(year);
      await page.locator('#salary-bestand').setInputFiles(edited);
      await Promise.all([
        page.waitForURL((u) => ACTION_PATH.test(u.pathname), { timeout: JOB_TIMEOUT }),
        page.locator('#salary-upload-submit').click(),
      ]);
      const uploadAction = new URL(page.url()).pathname;
      await page.locator('#count-new').waitFor({ state: 'visible', timeout: JOB_TIMEOUT });
      await page.locator('#apply-all').waitFor({ state: 'visible', timeout: JOB_TIMEOUT });
      assert.equal(await page.locator('#rejection').count(), 0, 'the file is not refused');
      const count = async (id) => Number(squash(await page.locator(`#${id}`).textContent()));
      assert.equal(await count('count-rows'), filled.rows);
      assert.equal(await count('count-errors'), 0);
      assert.equal(
        (await count('count-new')) + (await count('count-changed')) + (await count('count-unchanged')),
        filled.rows,
        'every row is new, changed or unchanged',
      );
      // The values in words, as the reader writes them.
      await expectText(page.locator('table.preview-changes'), /52\s000,50\s€ × 80\s%/);

      // 4. Apply everything.
      await Promise.all([
        page.waitForResponse(
          (r) => r.request().method() === 'POST' && new URL(r.url()).pathname === `${uploadAction}/toepassen`,
        ),
        page.locator('#apply-all').click(),
      ]);
      await page.waitForURL((u) => u.pathname === uploadAction && !u.searchParams.has('geweigerd'));
      await page.waitForLoadState('load');
      assert.equal(await page.locator('#refusal').count(), 0, 'the decision is not refused');
      await expectText(page.locator('#live .action-status'), 'Verwerkt', JOB_TIMEOUT);
      assert.equal(await page.locator('#apply-all').count(), 0, 'no second decision');
    });
  });

  test('the next statement charges the new salaries and regularises the months billed', async (t) => {
    await withPage(browser, t, async (page) => {
      // 5. The operator issues this month's statement (the e2e server runs no scheduler).
      const [year, month] = brusselsMonth();
      const key = `${year}-${month}`;
      const env = { ...process.env, EBDESK_LOG: 'warn' };
      delete env.DATABASE_URL; // the e2e server's SQLite, never a caller's database
      const said = execFileSync(
        process.env.EBDESK_BIN,
        ['statement', '--employer', EMPLOYER, '--month', key, '--data-dir', process.env.EBDESK_DATA_DIR],
        { encoding: 'utf8', env, timeout: JOB_TIMEOUT },
      );
      assert.match(said, /opgemaakt/, said);

      // 6. The master downloads it from the downloads page and opens it.
      await login(page, USERS.master);
      await page.goto(url(`${HOME}/downloads`));
      await page.locator('#statement-month').selectOption(key);
      await Promise.all([
        page.waitForURL((u) => ACTION_PATH.test(u.pathname)),
        page.locator('#request-statement').click(),
      ]);
      const link = page.locator('#live a.download');
      await link.waitFor({ state: 'visible', timeout: JOB_TIMEOUT });
      const [download] = await Promise.all([page.waitForEvent('download', { timeout: JOB_TIMEOUT }), link.click()]);
      const saved = path.join(work, 'premiebordereel.xlsx');
      await download.saveAs(saved);
      const lines = JSON.parse(
        execFileSync('python3', [path.join(here, 'read_statement.py'), saved], { encoding: 'utf8', timeout: JOB_TIMEOUT }),
      );

      // This month: every line at a salary typed in the list, none with a reason code.
      const label = `${month}/${year}`;
      const own = lines.filter((l) => l.month === label);
      assert.ok(own.length > 0, `lines of ${label}: ${JSON.stringify(lines)}`);
      // Affiliations that started after 1 January are not on this year's list:
      // changes.test.mjs may have affiliated Ooms-Verbist today, at the salary typed in
      // Nieuwe aansluiting (42 000,00 €), which this month charges from her start.
      const fromForm = (l) => l.name.startsWith('Ooms-Verbist');
      const listed = own.filter((l) => !fromForm(l));
      assert.ok(listed.length > 0, 'lines at a salary of the list');
      for (const line of own) {
        assert.equal(line.reason, '', JSON.stringify(line));
        if (fromForm(line)) {
          assert.equal(line.salary, 42_000, JSON.stringify(line));
          continue;
        }
        // fill_salaries.py types 52 000,50 €, then 10 € more on each next row.
        assert.ok(line.salary >= 52_000 && line.salary % 10 === 0.5, `a salary of the list: ${JSON.stringify(line)}`);
      }
      // The months of this year billed before the upload (the demo bills the two before this
      // one) come back as salary regularisations, reason 25; last year's months do not.
      const billed = [1, 2].map((back) => monthBefore(year, month, back)).filter(([y]) => y === year);
      for (const [y, m] of billed) {
        const regularised = lines.filter((l) => l.month === `${m}/${y}`);
        assert.ok(regularised.length > 0, `regularisations of ${m}/${y}`);
        assert.ok(regularised.every((l) => l.reason === '25'), JSON.stringify(regularised));
      }
      const earlier = lines.filter((l) => l.month !== label && !billed.some(([y, m]) => l.month === `${m}/${y}`));
      assert.deepEqual(earlier, [], 'no other month is touched');
      t.diagnostic(`${own.length} lines of ${label}, ${lines.length - own.length} regularisations`);
    });
  });
});

/** This month in Brussels, as ['2026', '12']. */
function brusselsMonth() {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Brussels', year: 'numeric', month: '2-digit' })
    .formatToParts(new Date());
  const part = (type) => parts.find((p) => p.type === type).value;
  return [part('year'), part('month')];
}

/** The month `back` months before year/month, as ['2026', '10']. */
function monthBefore(year, month, back) {
  const index = Number(year) * 12 + Number(month) - 1 - back;
  return [String(Math.floor(index / 12)), String((index % 12) + 1).padStart(2, '0')];
}

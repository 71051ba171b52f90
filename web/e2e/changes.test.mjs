// An HR user with input rights affiliates a new employee, finds them in the list, registers
// their exit with the inclusive end date, and sees both actions in "Overzicht acties" and in
// the employee's "Historiek". A consult user gets none of the forms.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { USERS, expectText, launch, login, url, withPage } from './lib.mjs';

const EMPLOYER = '530-101';
const INPUT_USER = 'jan.maes@peeters.test';

const two = (n) => String(n).padStart(2, '0');
const dmy = (d) => `${two(d.getDate())}/${two(d.getMonth() + 1)}/${d.getFullYear()}`;

/** A valid national number (born before 2000): YYMMDD SSS and 97 − (body mod 97). */
function nationalNumber(year, month, day, serial) {
  const body = `${two(year % 100)}${two(month)}${two(day)}${String(serial).padStart(3, '0')}`;
  return body + two(97 - (Number(body) % 97));
}

describe('new affiliation, exit and history', () => {
  let browser;
  before(async () => {
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
  });

  test('an input user affiliates, finds, exits and sees the history', async (t) => {
    await withPage(browser, t, async (page) => {
      await login(page, INPUT_USER);
      await page.waitForURL((u) => u.pathname === `/werkgevers/${EMPLOYER}`);

      // Nieuwe aansluiting: first the number (an even serial: a woman).
      await page.getByRole('navigation').getByRole('link', { name: 'Nieuwe aansluiting' }).click();
      await page.waitForURL((u) => u.pathname.endsWith('/aansluitingen/nieuw'));
      const number = nationalNumber(1994, 3, 5, 246);
      await page.locator('#national_number').fill(number.replace(/^(\d\d)(\d\d)(\d\d)(\d{3})(\d\d)$/, '$1.$2.$3-$4.$5'));
      await page.getByRole('button', { name: 'Verder' }).click();
      await page.locator('#affiliation-form').waitFor();
      // What the number tells is filled in.
      assert.equal(await page.locator('#birth_date').inputValue(), '05/03/1994');
      assert.equal(await page.locator('#gender').inputValue(), 'F');

      const today = new Date();
      await page.locator('#last_name').fill('Ooms-Verbist');
      await page.locator('#first_name').fill('Ineke');
      await page.locator('#employee_number').fill('E2E-1');
      await page.locator('#business_email').fill('ineke.ooms@peeters.test');
      await page.locator('#contract').selectOption({ index: 1 });
      await page.locator('#category').selectOption({ index: 1 });
      await page.locator('#employment_start').fill(dmy(today));
      await page.locator('#affiliation_start').fill(dmy(today));
      assert.equal(await page.locator('#work_fraction').inputValue(), '1');
      await page.locator('#annual_salary').fill('42.000,00');
      await page.locator('#save-affiliation').click();
      await page.waitForURL((u) => /\/acties\/\d+$/.test(u.pathname));
      await expectText(page.locator('main h1'), 'Nieuwe aansluiting');
      await expectText(page.locator('main'), 'Verwerkt');

      // Found in the list.
      await page.getByRole('navigation').getByRole('link', { name: 'Werknemers' }).click();
      await page.locator('main input[name="q"]').fill('Ooms-Verbist');
      await page.locator('main input[name="q"]').press('Enter');
      const row = page.locator('table.employees a', { hasText: 'Ooms-Verbist, Ineke' });
      await row.waitFor();
      await row.click();
      await expectText(page.locator('main h1'), 'Ooms-Verbist, Ineke');
      await expectText(page.locator('.affiliations'), 'Actief');

      // Uittreding: leaving on the first of next month means the end date is the last day
      // of this month, as the form explains.
      await page.locator('#exit-employee').click();
      await expectText(page.locator('#end_date-hint'), /tot en met.*30\/04/);
      const lastDay = new Date(today.getFullYear(), today.getMonth() + 1, 0);
      await page.locator('#end_date').fill(dmy(lastDay));
      await page.locator('#reason').selectOption('dismissal_by_employee');
      await page.locator('#save-exit').click();
      await page.waitForURL((u) => /\/acties\/\d+$/.test(u.pathname));
      await expectText(page.locator('main h1'), 'Uittreding');
      await expectText(page.locator('.exit-end-date'), dmy(lastDay));
      // The author may still withdraw it today.
      assert.equal(await page.locator('#withdraw').count(), 1);

      // Overzicht acties: both, with the employee's name, processed.
      await page.getByRole('navigation').getByRole('link', { name: 'Overzicht acties' }).click();
      const actions = page.locator('main table');
      await expectText(actions, /Uittreding[\s\S]*Ooms-Verbist, Ineke/);
      await expectText(actions, /Nieuwe aansluiting[\s\S]*Ooms-Verbist, Ineke/);

      // The employee: passive now, and the history with both changes.
      await page.goto(url(`/werkgevers/${EMPLOYER}/werknemers?q=Ooms-Verbist`));
      await page.locator('table.employees a', { hasText: 'Ooms-Verbist, Ineke' }).click();
      await expectText(page.locator('.affiliations'), 'Passief');
      const history = page.locator('.history');
      await expectText(history, /Uittreding[\s\S]*Nieuwe aansluiting/);
      await expectText(history, dmy(lastDay));
    });
  });

  test('a consult user sees no change forms and is refused them', async (t) => {
    await withPage(browser, t, async (page) => {
      await login(page, USERS.consult);
      await page.goto(url(`/werkgevers/${EMPLOYER}/werknemers`));
      await page.locator('table.employees a').first().click();
      await page.locator('main h1').waitFor();
      assert.equal(await page.locator('#exit-employee').count(), 0);
      assert.equal(await page.locator('#change-personal-data').count(), 0);
      const response = await page.goto(url(`/werkgevers/${EMPLOYER}/aansluitingen/nieuw`));
      assert.equal(response.status(), 403);
      await expectText(page.locator('body'), /toegang|recht/i);
    });
  });
});

// Login, employee search and logout, as the demo master user of 530-101.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  USERS,
  expectText,
  launch,
  login,
  logout,
  logoutButton,
  pathOf,
  submitLogin,
  withPage,
} from './lib.mjs';

const EMPLOYER = '530-101';
const NATIONAL_NUMBER = /\d{2}\.\d{2}\.\d{2}-\d{3}\.\d{2}/;

describe('login and employee search', () => {
  let browser;
  before(async () => {
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
  });

  test('a wrong password shows an error and does not log in', async (t) => {
    await withPage(browser, t, async (page) => {
      await submitLogin(page, USERS.master, 'not-the-password');
      await page.locator('.form-error').first().waitFor({ state: 'visible' });
      await expectText(page.locator('.form-error'), /\S/);
      assert.equal(new URL(page.url()).pathname, '/login', 'stays on the login page');
      assert.equal(await logoutButton(page).count(), 0, 'no logout button after a failed login');
      // The form is still there to try again, with the e-mail kept.
      assert.equal(await page.locator('input[name="email"]').inputValue(), USERS.master);
    });
  });

  test('master user finds Verhaegen, Noor and logs out', async (t) => {
    await withPage(browser, t, async (page) => {
      await login(page, USERS.master);
      // Only one employer: straight to its home.
      await page.waitForURL((u) => u.pathname === `/werkgevers/${EMPLOYER}`);
      await expectText(page.locator('body'), 'Bouwbedrijf Peeters NV');

      // "Zoeken werknemer": the search form of the employee list.
      const q = page
        .locator(`form[action$="/werkgevers/${EMPLOYER}/werknemers"] input[name="q"]`)
        .or(page.locator('input[name="q"]'))
        .first();
      await q.fill('Verhaegen');
      await Promise.all([
        page.waitForURL((u) => u.pathname === `/werkgevers/${EMPLOYER}/werknemers` && u.searchParams.get('q') === 'Verhaegen'),
        q.press('Enter'),
      ]);

      const row = page.locator('table.employees a', { hasText: 'Verhaegen, Noor' });
      await row.first().waitFor({ state: 'visible' });
      assert.match(
        (await row.first().getAttribute('href')) ?? '',
        new RegExp(`/werkgevers/${EMPLOYER}/werknemers/[^/?#]+$`),
      );
      await Promise.all([
        page.waitForURL((u) => new RegExp(`^/werkgevers/${EMPLOYER}/werknemers/[^/]+$`).test(u.pathname)),
        row.first().click(),
      ]);

      await expectText(page.locator('h1'), 'Verhaegen, Noor');
      await expectText(page.locator('body'), NATIONAL_NUMBER);
      // GDPR: the national number never appears in the URL.
      assert.doesNotMatch(pathOf(page), /\d{11}|\d{2}\.\d{2}\.\d{2}-\d{3}/);

      await logout(page);
      assert.equal(new URL(page.url()).pathname, '/login');
      assert.equal(await logoutButton(page).count(), 0, 'logged out');
    });
  });
});

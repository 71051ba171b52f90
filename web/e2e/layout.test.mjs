// Layout, as the demo master user of 530-101: on a phone (390 × 844) the employee list and
// the employer's home page fit the screen (no sideways scroll) with "Afmelden" and the menu in
// view; on a laptop (1366 × 768) the users page and the audit log (the widest tables) fit too.
// A wide table may scroll inside its own box (.table-scroll), never the page.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { USERS, launch, login, logoutButton, url, withPage } from './lib.mjs';

const EMPLOYER = '530-101';
const HOME = `/werkgevers/${EMPLOYER}`;
const PHONE = { width: 390, height: 844 };
const LAPTOP = { width: 1366, height: 768 };

/** The page's width against the viewport's, and the widest element sticking out (if any). */
async function widths(page) {
  return page.evaluate(() => {
    const scrollWidth = document.documentElement.scrollWidth;
    let culprit = '';
    if (scrollWidth > innerWidth) {
      let widest = 0;
      for (const el of document.querySelectorAll('body *')) {
        const r = el.getBoundingClientRect();
        if (r.right > innerWidth + 1 && r.width > widest) {
          widest = r.width;
          culprit = `<${el.tagName.toLowerCase()} class="${el.className}"> ${Math.round(r.left)}–${Math.round(r.right)} px`;
        }
      }
    }
    return { scrollWidth, innerWidth, culprit };
  });
}

/** Opens `path` and asserts that the page is no wider than the viewport. */
async function assertNoSidewaysScroll(page, path) {
  await page.goto(url(path));
  await page.locator('main h1').waitFor();
  const w = await widths(page);
  assert.ok(
    w.scrollWidth <= w.innerWidth,
    `${path} at ${w.innerWidth} px is ${w.scrollWidth} px wide (sideways scroll); widest culprit: ${w.culprit}`,
  );
}

/** Asserts that `locator` is shown entirely inside the viewport (without scrolling). */
async function assertInViewport(page, locator, what) {
  assert.ok(await locator.isVisible(), `${what} is visible`);
  const box = await locator.boundingBox();
  const { width, height } = page.viewportSize();
  assert.ok(box, `${what} has a box`);
  assert.ok(
    box.x >= 0 && box.y >= 0 && box.x + box.width <= width && box.y + box.height <= height,
    `${what} lies inside the ${width}×${height} viewport, got ${JSON.stringify(box)}`,
  );
}

describe('layout on a phone and a laptop', () => {
  let browser;
  before(async () => {
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
  });

  test('at 390 px the employee list and the home page fit, with Afmelden and the menu in view', async (t) => {
    await withPage(browser, t, async (page) => {
      await page.setViewportSize(PHONE);
      await login(page, USERS.master);
      await page.waitForURL((u) => u.pathname === HOME);

      for (const path of [`${HOME}/werknemers`, HOME, `${HOME}/premies`, `${HOME}/documenten`]) {
        await assertNoSidewaysScroll(page, path);
        await assertInViewport(page, logoutButton(page), `"Afmelden" on ${path}`);
        await assertInViewport(
          page,
          page.getByRole('navigation').getByRole('link', { name: 'Werknemers' }),
          `the menu link "Werknemers" on ${path}`,
        );
      }
      // The list shows the employees as rows that fit, not as a table cut off at the right.
      await assertNoSidewaysScroll(page, `${HOME}/werknemers`);
      await assertInViewport(page, page.locator('table.employees a').first(), 'the first employee of the list');
      await assertInViewport(page, page.locator('table.employees .status').first(), "the first employee's status");

      // Nieuwe aansluiting's second step: the contract select's long options stay inside.
      await page.goto(url(`${HOME}/aansluitingen/nieuw`));
      await page.locator('#national_number').fill('94030524647');
      await page.locator('#lookup-form button[type=submit]').click();
      await page.locator('#annual_salary').waitFor();
      const w = await widths(page);
      assert.ok(w.scrollWidth <= w.innerWidth, `the affiliation form is ${w.scrollWidth} px wide: ${w.culprit}`);
    });
  });

  test('at 1366 px the users page and the audit log fit', async (t) => {
    await withPage(browser, t, async (page) => {
      await page.setViewportSize(LAPTOP);
      await login(page, USERS.master);
      await page.waitForURL((u) => u.pathname === HOME);

      await assertNoSidewaysScroll(page, `${HOME}/gebruikers`);
      assert.ok((await page.locator('table.users tbody tr').count()) > 0, 'the users page lists users');
      await assertNoSidewaysScroll(page, `${HOME}/auditlog`);
      await assertInViewport(page, logoutButton(page), '"Afmelden" on the audit log');
    });
  });
});

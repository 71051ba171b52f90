// Shared helpers for the browser tests: launch Debian's Chromium through playwright-core,
// log in with the demo accounts, and keep a screenshot of the page when a test fails.
//
// Environment:
//   BASE_URL        the running server, e.g. http://127.0.0.1:8080 (set by run.sh)
//   CHROMIUM_PATH   the browser binary (default /usr/bin/chromium)
//   SCREENSHOT_DIR  where failure screenshots go (default web/e2e/test-results)
//   E2E_TIMEOUT_MS  default timeout of every wait/click (default 10000)

import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));

export const BASE_URL = (process.env.BASE_URL ?? '').replace(/\/+$/, '');
if (!BASE_URL) {
  throw new Error('BASE_URL is not set: run the tests with web/e2e/run.sh, or set BASE_URL=http://host:port');
}

export const PASSWORD = 'demo-ebdesk';
export const USERS = {
  master: 'an.peeters@peeters.test', // master at 530-101 only
  consult: 'els.wouters@peeters.test', // consult, first contract only
  consultant: 'koen.jacobs@sociaal-advies.test', // two employers: lands on /werkgevers
};

const TIMEOUT = Number(process.env.E2E_TIMEOUT_MS ?? 10_000);
const SCREENSHOT_DIR = process.env.SCREENSHOT_DIR ?? path.join(here, 'test-results');

// The flags keep Chromium off the network (this machine's network is closed) and run it as root.
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Launches Chromium; playwright passes its own fresh user-data-dir. */
export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
  });
}

/** A URL on the server under test. */
export function url(p = '/') {
  return new URL(p, BASE_URL + '/').toString();
}

/**
 * Runs `fn(page)` in a fresh browser context (own cookies). On failure saves a full-page
 * screenshot and the page's HTML under SCREENSHOT_DIR, named after the test, then rethrows.
 */
export async function withPage(browser, t, fn, { locale = 'nl-BE' } = {}) {
  // The locale sets the browser's Accept-Language, which picks the language before login.
  const context = await browser.newContext({ baseURL: BASE_URL, locale });
  context.setDefaultTimeout(TIMEOUT);
  context.setDefaultNavigationTimeout(TIMEOUT);
  const page = await context.newPage();
  try {
    await fn(page);
  } catch (err) {
    await saveFailure(page, t?.name ?? 'test');
    throw err;
  } finally {
    await context.close();
  }
}

async function saveFailure(page, name) {
  try {
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    const base = path.join(SCREENSHOT_DIR, name.replace(/[^\w.-]+/g, '_').slice(0, 100));
    await page.screenshot({ path: `${base}.png`, fullPage: true, timeout: 5_000 });
    const { writeFile } = await import('node:fs/promises');
    await writeFile(`${base}.html`, `<!-- ${page.url()} -->\n${await page.content()}`);
    console.error(`# failure screenshot: ${base}.png (page: ${page.url()})`);
  } catch (e) {
    console.error(`# could not save failure screenshot: ${e.message}`);
  }
}

/** Fills and submits the login form; does not check where it lands. */
export async function submitLogin(page, email, password = PASSWORD) {
  await page.goto(url('/login'));
  const form = page.locator('form:has(input[name="password"])');
  await form.locator('input[name="email"]').fill(email);
  await form.locator('input[name="password"]').fill(password);
  // Wait for the server's answer to the POST (a page or a redirect); callers then wait for
  // what they expect to see.
  await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/login'),
    form.locator('button[type="submit"]').click(),
  ]);
  await page.waitForLoadState('load');
}

/** The raw TOTP secret of a demo account (`ebdesk serve --demo` prints it in base32). */
export function demoTotpSecret(email) {
  return createHash('sha256').update(`ebdesk-demo:${email}`).digest().subarray(0, 20);
}

/** RFC 6238 (SHA-1, 6 digits, 30 s): the code an authenticator app shows for `step`. */
export function totpCode(secret, step) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac('sha1', secret).update(counter).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  const value = (mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000;
  return String(value).padStart(6, '0');
}

// The server accepts each time step once per account: a second login within 30 s uses the
// next step (the server allows one step of clock drift). Each test file runs in its own
// process, so the steps used against this server are kept in a file beside its data.
const stepsFile = path.join(
  process.env.MAIL_DIR ? path.dirname(process.env.MAIL_DIR) : os.tmpdir(),
  `totp-steps-${new URL(BASE_URL).port}.json`,
);

function usedSteps() {
  try {
    return JSON.parse(readFileSync(stepsFile, 'utf8'));
  } catch {
    return {};
  }
}

/** Runs `fn` while holding the lock file `lock`: test files run in parallel processes.
 * A lock left by a process that died is taken over after a minute. */
async function withLock(lock, fn) {
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      closeSync(openSync(lock, 'wx'));
      break;
    } catch {
      if (Date.now() > deadline) {
        unlinkSync(lock);
        continue;
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
  try {
    return await fn();
  } finally {
    unlinkSync(lock);
  }
}

/** Runs `take` while holding the lock of the steps file: two test files must not take the
 * same step of one account. */
async function withStepsLock(take) {
  return withLock(`${stepsFile}.lock`, take);
}

/** A code for the demo account `email` that the server has not accepted yet. */
export async function freshCode(email, secret = demoTotpSecret(email)) {
  for (;;) {
    const step = await withStepsLock(() => {
      const now = Math.floor(Date.now() / 1000 / 30);
      const used = usedSteps();
      const last = used[email] ?? -1;
      const next = [now - 1, now, now + 1].find((s) => s > last);
      if (next !== undefined) {
        used[email] = next;
        writeFileSync(stepsFile, JSON.stringify(used));
      }
      return next;
    });
    if (step !== undefined) return totpCode(secret, step);
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
}

/** Fills the second step of login ("Veilig aanmelden") with a fresh code. */
export async function submitCode(page, email, secret) {
  await page.waitForURL((u) => u.pathname === '/login/code');
  // One code of an account in flight at a time: the server takes an account's steps in
  // increasing order only, so a later step sent first would refuse an earlier one.
  const account = createHash('sha256').update(email).digest('hex').slice(0, 16);
  await withLock(`${stepsFile}.${account}.lock`, async () => {
    await page.locator('input[name="code"]').fill(await freshCode(email, secret));
    await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/login/code'),
      page.locator('form:has(input[name="code"]) button[type="submit"]').click(),
    ]);
  });
  await page.waitForLoadState('load');
}

/** Logs in (password, then the TOTP code) and waits until the application shows. */
export async function login(page, email, password = PASSWORD) {
  await submitLogin(page, email, password);
  await submitCode(page, email);
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
  await logoutButton(page).waitFor({ state: 'visible' });
}

/** The logout button present on every logged-in page ("Afmelden", "Se déconnecter", "Log out"). */
export function logoutButton(page) {
  return page.locator('button.logout');
}

/** Clicks the logout button and waits for the login page. */
export async function logout(page) {
  await Promise.all([page.waitForURL((u) => u.pathname === '/login'), logoutButton(page).click()]);
}

/** The path (and query) of the page shown now. */
export function pathOf(page) {
  const u = new URL(page.url());
  return u.pathname + u.search;
}

/** Waits until `locator`'s text matches `re` (string or RegExp); returns the text. */
export async function expectText(locator, re, timeout = TIMEOUT) {
  const pattern = typeof re === 'string' ? new RegExp(escapeRe(re)) : re;
  const deadline = Date.now() + timeout;
  let last = null;
  for (;;) {
    const text = await locator
      .first()
      .textContent({ timeout: Math.max(250, deadline - Date.now()) })
      .catch(() => null);
    if (text !== null) last = text;
    if (text !== null && pattern.test(text)) return text;
    if (Date.now() > deadline) {
      const got = last === null ? 'no such element' : JSON.stringify(last.replace(/\s+/g, ' ').trim().slice(0, 500));
      assert.fail(`expected text matching ${pattern} in ${locator} on ${locator.page().url()}, got: ${got}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

function escapeRe(s) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

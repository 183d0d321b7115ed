// Steps the browser tests share on top of lib.mjs: a demo server with a browser (and a signed-in
// page) for a test file, screenshots at desktop and phone width with the check that nothing
// sticks out sideways, and downloads saved to output/downloads/.
import assert from 'node:assert/strict';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { startDemo, launch, signedIn, shot, DESKTOP, PHONE, DOWNLOADS } from './lib.mjs';

/**
 * For a test file's `before`: a `gocua demo` server on `seed`, a browser and, when `user` is given,
 * a page signed in as them. Resolves to `{ server, browser, page }`.
 */
export async function demoWithBrowser(seed, user) {
  const server = await startDemo(seed);
  let browser;
  try {
    browser = await launch();
    const page = user ? await signedIn(browser, server, user) : undefined;
    return { server, browser, page };
  } catch (e) {
    await closeAll({ browser, server });
    throw e;
  }
}

/** For a test file's `after`: closes the browser and stops the server (either may be missing). */
export async function closeAll({ browser, server }) {
  await browser?.close();
  await server?.stop();
}

/**
 * Asserts that nothing on `page` is wider than the screen but the tables, which scroll inside
 * their own frame. `against` is what the document's width is measured against: the window
 * (`'window'`) or the document's own visible width, without a scrollbar (`'document'`).
 */
export async function assertNoSidewaysScroll(page, name, against = 'window') {
  const overflow = await page.evaluate((a) => document.documentElement.scrollWidth
    - (a === 'window' ? window.innerWidth : document.documentElement.clientWidth), against);
  assert.ok(overflow <= 1, `${name}: the page is ${overflow}px wider than the phone`);
}

/**
 * A new page at phone width in its own context with `page`'s cookies (the same session), opened
 * at `url` (by default `page`'s address). Close it with `phone.context().close()`.
 */
export async function phoneTwin(browser, page, url = page.url()) {
  const context = await browser.newContext({ viewport: PHONE, locale: 'vi-VN' });
  await context.addCookies(await page.context().cookies());
  const phone = await context.newPage();
  await phone.goto(url);
  return phone;
}

/** A screenshot `name` of `page`'s address (or `url`) at phone width, in the same session. */
export async function phoneShot(browser, page, name, url = page.url()) {
  const phone = await phoneTwin(browser, page, url);
  await shot(phone, name);
  await phone.context().close();
}

/**
 * Screenshots `<name>-desktop` of `page` and `<name>-phone` of the same address opened at phone
 * width (after `prepare(phone)`, when given), which must not scroll sideways.
 */
export async function shotsAtBothWidths(browser, page, name, prepare) {
  await shot(page, `${name}-desktop`);
  const phone = await phoneTwin(browser, page);
  if (prepare) await prepare(phone);
  await assertNoSidewaysScroll(phone, name);
  await shot(phone, `${name}-phone`);
  await phone.context().close();
}

/**
 * Screenshots `<name>-desktop` and `<name>-phone` of `page` as it is, resized to phone width and
 * back (for the answer to a POST, which cannot be fetched again); at phone width it must not
 * scroll sideways, measured `against` as in `assertNoSidewaysScroll`.
 */
export async function shotsResized(page, name, against = 'document') {
  await shot(page, `${name}-desktop`);
  await page.setViewportSize(PHONE);
  await assertNoSidewaysScroll(page, name, against);
  await shot(page, `${name}-phone`);
  await page.setViewportSize(DESKTOP);
}

/** Clicks `selector` on `page` and saves the download it starts as `name`; `{ download, file }`. */
export async function downloadFile(page, selector, name) {
  const [started] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
  const file = path.join(DOWNLOADS, name);
  await started.saveAs(file);
  return { download: started, file };
}

/** As `downloadFile`, for an Excel file, opened: `{ download, file, wb, ws }` (`ws`: its first sheet). */
export async function downloadWorkbook(page, selector, name) {
  const saved = await downloadFile(page, selector, name);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(saved.file);
  return { ...saved, wb, ws: wb.worksheets[0] };
}

/**
 * Submits a form of `page` by clicking `button`; the server must refuse it with `status`, the
 * page showing the machine code `code` (`<p class="error" data-code="…">`).
 */
export async function submitRefused(page, button, status, code) {
  const [resp] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST'),
    page.click(button),
  ]);
  assert.equal(resp.status(), status);
  assert.equal(await page.locator('p.error').getAttribute('data-code'), code);
}

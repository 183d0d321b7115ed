// Signing in, the progress overview, the language switch and the phone-width layout.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { signedIn, shot, achieved, num, DESKTOP, PHONE } from '../lib.mjs';
import { demoWithBrowser, closeAll } from '../steps.mjs';

let server, browser;
before(async () => ({ server, browser } = await demoWithBrowser(7)));
after(() => closeAll({ browser, server }));

test('a wrong password is refused with 401 and a message; the right one opens the overview', { timeout: 60_000 }, async () => {
  const context = await browser.newContext({ viewport: DESKTOP });
  const page = await context.newPage();
  await page.goto(server.url + '/');
  assert.match(new URL(page.url()).pathname, /^\/login/, 'signed-out visitors are sent to the login page');
  await page.fill('input[name=username]', 'tinhdoan');
  await page.fill('input[name=password]', 'not-the-password');
  const [resp] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/login') && r.request().method() === 'POST'),
    page.click('button[type=submit]'),
  ]);
  assert.equal(resp.status(), 401);
  assert.match(await page.locator('p.error').innerText(), /không đúng/);
  await shot(page, 'login-wrong-password-desktop');

  await page.fill('input[name=password]', server.accounts.tinhdoan);
  await Promise.all([page.waitForURL((u) => u.pathname === '/'), page.click('button[type=submit]')]);
  assert.match(await page.locator('h1').innerText(), /Tiến độ – Tỉnh Đoàn Vĩnh Long/);
  await context.close();
});

test('the 8 indicator cards show numbers and households visited is the sum of the rows', { timeout: 60_000 }, async () => {
  const page = await signedIn(browser, server, 'tinhdoan');
  const cards = page.locator('div.indicator[data-indicator]');
  assert.equal(await cards.count(), 8);
  const indicators = [];
  for (let i = 0; i < 8; i++) {
    const card = cards.nth(i);
    indicators.push(await card.getAttribute('data-indicator'));
    const value = await card.locator('.value').innerText();
    assert.match(value.trim(), /^[0-9][0-9.]*$/, `card ${indicators[i]} shows a number, got "${value}"`);
  }
  const idx = indicators.indexOf('households_visited');
  assert.ok(idx >= 0, `a households_visited card among ${indicators}`);
  const total = num(await cards.nth(idx).locator('.value').innerText());
  assert.ok(total > 0, 'the demo visited households');

  const rows = page.locator('table.overview tbody tr');
  const n = await rows.count();
  assert.ok(n >= 2, `child rows, got ${n}`);
  let sum = 0;
  for (let r = 0; r < n; r++) {
    // Column 0 is the unit; then one column per indicator, in the cards' order.
    const cell = rows.nth(r).locator('td').nth(1 + idx);
    sum += achieved(await cell.locator('.count').innerText());
  }
  assert.equal(sum, total, 'province households visited = sum of its children');
  // The header of that column is the same indicator as the card.
  const cardName = (await cards.nth(idx).locator('.name').innerText()).trim();
  assert.equal((await page.locator('table.overview thead th').nth(1 + idx).innerText()).trim(), cardName);
  await shot(page, 'overview-desktop');
  await page.context().close();
});

test('the language switch shows English and back', { timeout: 60_000 }, async () => {
  const page = await signedIn(browser, server, 'tinhdoan');
  await Promise.all([page.waitForURL((u) => u.pathname === '/'), page.click('header a.lang')]);
  assert.equal(await page.locator('html').getAttribute('lang'), 'en');
  assert.match(await page.locator('h1').innerText(), /^Progress – /);
  assert.match(await page.locator('nav.main').innerText(), /Households[\s\S]*Data checks[\s\S]*Quick report/);
  assert.match(await page.locator('div.indicator[data-indicator=households_visited] .name').innerText(), /[Hh]ouseholds/);
  await shot(page, 'overview-english-desktop');
  await Promise.all([page.waitForURL((u) => u.pathname === '/'), page.click('header a.lang')]);
  assert.equal(await page.locator('html').getAttribute('lang'), 'vi');
  assert.match(await page.locator('h1').innerText(), /^Tiến độ – /);
  await page.context().close();
});

test('at phone width only tables scroll sideways, never the page', { timeout: 90_000 }, async () => {
  const page = await signedIn(browser, server, 'tinhdoan', PHONE);
  for (const [name, path] of [['overview', '/'], ['households', '/households'], ['visits', '/visits'], ['follow-ups', '/follow-ups'],
    ['flags', '/flags'], ['feedback', '/feedback'], ['report', '/report'], ['audit', '/audit']]) {
    const resp = await page.goto(server.url + path);
    assert.equal(resp.status(), 200, path);
    const { scrollWidth, innerWidth, wide } = await page.evaluate(() => {
      // Elements sticking out of the viewport that are not inside a horizontally scrolling table box.
      const wide = [];
      for (const el of document.body.querySelectorAll('*')) {
        if (el.closest('.tablewrap')) continue;
        const r = el.getBoundingClientRect();
        if (r.right > window.innerWidth + 1) wide.push(`${el.tagName.toLowerCase()}.${el.className} (${Math.round(r.right)}px)`);
      }
      return { scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth, wide: wide.slice(0, 5) };
    });
    await shot(page, `${name}-phone`);
    assert.ok(scrollWidth <= innerWidth, `${path}: page is ${scrollWidth}px wide in a ${innerWidth}px window: ${wide.join(', ')}`);
    assert.deepEqual(wide, [], `${path}: elements wider than the phone outside .tablewrap`);
  }
  await page.context().close();
});

test('a next= that a browser would turn into another site leaves the browser on this one', { timeout: 60_000 }, async () => {
  // Issue 14: `/%09/example.invalid/` passed the old check, and Chromium drops the tab, so the
  // redirect after signing in (and after the language switch) went to //example.invalid/.
  const origin = new URL(server.url).origin;
  const context = await browser.newContext({ viewport: DESKTOP, locale: 'vi-VN' });
  const page = await context.newPage();
  const elsewhere = [];
  page.on('request', (r) => { if (!r.url().startsWith(origin + '/')) elsewhere.push(r.url()); });

  await page.goto(server.url + '/login?next=/%09/example.invalid/');
  await page.fill('input[name=username]', 'tinhdoan');
  await page.fill('input[name=password]', server.accounts.tinhdoan);
  await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/login')), page.click('button[type=submit]')]);
  await page.waitForLoadState('load');
  assert.equal(new URL(page.url()).origin, origin, `after signing in the browser is at ${page.url()}`);
  assert.equal(new URL(page.url()).pathname, '/');
  assert.match(await page.locator('h1').innerText(), /Tiến độ/);

  for (const next of ['/%09/example.invalid/', '/%0D%0A/example.invalid/', '/%5Cexample.invalid/', '//example.invalid/']) {
    const resp = await page.goto(server.url + '/lang/vi?next=' + next);
    assert.ok(resp.status() < 500, `/lang/vi?next=${next}: ${resp.status()}`);
    assert.equal(new URL(page.url()).origin, origin, `/lang/vi?next=${next} led to ${page.url()}`);
  }
  assert.deepEqual(elsewhere, [], 'no request left the server');
  await context.close();
});

// Editing a team's target, its audit entry, and refusal of invalid values.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startDemo, launch, signedIn, shot, num } from '../lib.mjs';
import { phoneShot } from '../steps.mjs';

let server, browser, page, teamUrl;
before(async () => {
  server = await startDemo(7);
  browser = await launch();
  page = await signedIn(browser, server, 'tinhdoan');
  const unitLink = page.locator('table.overview a[href*="unit="]').first();
  await Promise.all([page.waitForURL(/unit=/), unitLink.click()]);
  await Promise.all([page.waitForURL(/\/teams\//), page.locator('table.overview a[href^="/teams/"]').first().click()]);
  teamUrl = page.url();
});
after(async () => { await browser?.close(); await server?.stop(); });

const cardCount = () => page.locator('div.indicator[data-indicator=households_visited] .count').innerText();

test('a new target is saved, shown on the team page and audited', { timeout: 60_000 }, async () => {
  const before = await cardCount();
  const m = before.match(/\/\s*([0-9.]+)/);
  assert.ok(m, `the card shows a target: "${before}"`);
  const newTarget = num(m[1]) + 37;
  await Promise.all([page.waitForURL(/\/targets/), page.click('a:has-text("Sửa chỉ tiêu")')]);
  assert.match(await page.locator('h1').innerText(), /^Chỉ tiêu – /);
  assert.equal(await page.locator('form input[type=number]').count(), 8);
  await shot(page, 'targets-desktop');
  await phoneShot(browser, page, 'targets-phone');

  await page.fill('input[name=households_visited]', String(newTarget));
  await Promise.all([page.waitForURL(/\/teams\/[^/]+\?/), page.click('form.stack button[type=submit]')]);
  const vi = newTarget.toLocaleString('de-DE'); // Vietnamese groups thousands with dots, like German
  assert.match(await cardCount(), new RegExp(`/ ${vi.replace('.', '\\.')}(\\s|$)`), 'the card shows the new target');

  await page.goto(server.url + '/audit');
  const row = page.locator('tr', { hasText: `households_visited = ${newTarget}` });
  assert.equal(await row.count(), 1, 'the audit log has the new target');
  assert.match(await row.innerText(), /tinhdoan\s+Giao chỉ tiêu\s+Đội /);
  await shot(page, 'audit-desktop');
});

for (const bad of ['-5', 'abc', '10000001']) {
  test(`the target "${bad}" is refused with 422 and a Vietnamese message, nothing changes`, { timeout: 60_000 }, async () => {
    await page.goto(teamUrl);
    const before = await cardCount();
    await page.click('a:has-text("Sửa chỉ tiêu")');
    // Get past the browser's own number validation: make the box a text box.
    await page.evaluate(() => {
      const input = document.querySelector('input[name=households_visited]');
      input.type = 'text';
      input.removeAttribute('min');
    });
    await page.fill('input[name=households_visited]', bad);
    const [resp] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST' && /\/targets$/.test(r.url())),
      page.click('form.stack button[type=submit]'),
    ]);
    assert.equal(resp.status(), 422);
    const error = page.locator('p.error');
    assert.match(await error.innerText(), new RegExp(`Chỉ tiêu "Hộ được đến": "${bad}" không phải là số nguyên từ 0 đến 10\\.000\\.000\\.`));
    if (bad === 'abc') await shot(page, 'targets-invalid-desktop');
    await page.goto(teamUrl);
    assert.equal(await cardCount(), before);
  });
}

test('a target posted without the page\'s CSRF token is refused with 403', { timeout: 30_000 }, async () => {
  await page.goto(teamUrl);
  const before = await cardCount();
  await page.click('a:has-text("Sửa chỉ tiêu")');
  const action = await page.locator('form.stack').getAttribute('action');
  const campaign = await page.locator('form.stack input[name=campaign]').inputValue();
  const resp = await page.request.post(server.url + action, {
    form: { csrf: 'forged-token', campaign, households_visited: '1' },
    maxRedirects: 0,
  });
  assert.equal(resp.status(), 403);
  assert.match(await resp.text(), /data-code="csrf_mismatch"/);
  await page.goto(teamUrl);
  assert.equal(await cardCount(), before);
});

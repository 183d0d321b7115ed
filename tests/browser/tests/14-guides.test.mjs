// Service guides as coordinators and viewers use them: the top unit's administrator opens a
// starter guide from the service catalogue (its "needs a check" banner showing), edits it,
// previews the change without saving, saves it, marks it checked; a viewer reads the guides
// from the navigation but gets no way to edit them. Screenshots at desktop and phone width.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { signedIn, gocuaAdmin } from '../lib.mjs';
import { demoWithBrowser, closeAll, shotsResized } from '../steps.mjs';

let server, browser;
before(async () => ({ server, browser } = await demoWithBrowser(7)));
after(() => closeAll({ browser, server }));

const KEY = 'vneid_level2_activation';

test('the administrator edits a starter guide, previews, saves and marks it checked', { timeout: 120_000 }, async () => {
  const page = await signedIn(browser, server, 'tinhdoan');
  await page.goto(server.url + '/admin/services');
  const row = page.locator(`table.services tr[data-key=${KEY}]`);
  assert.match(await row.locator('td.guide').innerText(), /cần kiểm tra/, 'the demo loads the starter guides, to be checked');
  await Promise.all([page.waitForURL(/\/guide$/), row.locator('td.guide a').click()]);
  assert.match(await page.locator('h1').innerText(), /^Hướng dẫn – Kích hoạt tài khoản định danh điện tử VNeID mức độ 2$/);
  assert.match(await page.locator('.guide-banner').innerText(), /Nội dung mẫu — cần cán bộ kiểm tra trước khi dùng/);
  assert.match(await page.locator('.guide-preview article.guide h2').first().innerText(), /VNeID mức độ 2/);
  assert.ok(await page.locator('.guide-preview article.guide ol li').count() >= 5, 'the steps as a numbered list');
  await shotsResized(page, 'guide-edit');

  // Preview a change: drawn by the server, not saved.
  const body = page.locator('textarea[name=body]');
  const original = await body.inputValue();
  await body.fill(original.replace('# Kích hoạt', '# Hướng dẫn kích hoạt') + '\n\n- **Mẹo:** mang theo sạc dự phòng <b>nhé</b>\n');
  await Promise.all([page.waitForLoadState('load'), page.click('button[value=preview]')]);
  assert.match(await page.locator('.guide-preview h2').first().innerText(), /Xem trước \(chưa lưu\)/i);
  assert.match(await page.locator('.guide-preview article.guide').innerText(), /Mẹo: mang theo sạc dự phòng <b>nhé<\/b>/);
  assert.equal(await page.locator('.guide-preview article.guide strong:has-text("Mẹo:")').count(), 1);
  await shotsResized(page, 'guide-preview');
  const stored = await gocuaAdmin(server.db, ['guides']);
  assert.match(stored, new RegExp(`${KEY}\\t.*cần kiểm tra`), 'a preview saves nothing');

  // Save (still to be checked), then mark it checked.
  await page.uncheck('input[name=checked]');
  await Promise.all([page.waitForURL(/notice=saved/), page.click('button[value=save]')]);
  assert.match(await page.locator('p.notice').innerText(), /Đã lưu hướng dẫn/);
  assert.match(await page.locator('.guide-preview article.guide h2').first().innerText(), /Hướng dẫn kích hoạt/);
  await Promise.all([page.waitForURL(/notice=checked/), page.click('.guide-check button')]);
  assert.equal(await page.locator('.guide-banner').count(), 0, 'no banner once checked');
  await shotsResized(page, 'guide-checked');

  // Bad input: an empty guide is refused on the form.
  await page.fill('textarea[name=body]', '   ');
  await page.click('button[value=save]');
  await page.waitForSelector('p.error[data-code=guide_empty]');
  await page.goto(server.url + '/admin/services');
  assert.match(await row.locator('td.guide').innerText(), /✓/);
  await page.context().close();
});

test('a viewer reads the guides but cannot edit them', { timeout: 90_000 }, async () => {
  const admin = await signedIn(browser, server, 'tinhdoan');
  const provinceId = await admin.locator('form.filters input[name=unit]').inputValue();
  await admin.context().close();
  const password = 'xem-huong-dan-2026';
  await gocuaAdmin(server.db, ['create-coordinator', '--username', 'xemhd', '--name', 'Trần Thị Đọc', '--role', 'viewer', '--unit', provinceId],
    { GOCUA_PASSWORD: password });
  const page = await signedIn(browser, server, 'xemhd', undefined, password);
  await Promise.all([page.waitForURL(/\/guides$/), page.click('nav.main a:has-text("Hướng dẫn")')]);
  const items = await page.locator('ul.guide-list li').allInnerTexts();
  assert.ok(items.length >= 6, items.join('\n'));
  assert.ok(items.some((t) => /Liên thông thủ tục hành chính về đăng ký khai sinh/.test(t)), items.join('\n'));
  assert.equal(await page.locator('main a[href="/admin/services"]').count(), 0, 'no edit link for a viewer');
  await shotsResized(page, 'guides-list');
  await Promise.all([page.waitForURL(/\/guides\/birth_bundle_under6$/), page.click('ul.guide-list a:has-text("Liên thông")')]);
  assert.match(await page.locator('.guide-banner').innerText(), /cần cán bộ kiểm tra/);
  assert.match(await page.locator('article.guide').innerText(), /Nguồn \/ Source:/);
  await shotsResized(page, 'guide-read');
  const refused = await page.goto(server.url + `/admin/services/${KEY}/guide`);
  assert.equal(refused.status(), 403);
  await page.context().close();
});

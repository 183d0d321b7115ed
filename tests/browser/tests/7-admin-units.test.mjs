// The first-run set-up and the units' administration pages, used as a person would: a fresh
// `gocua serve` prints its one-time link, the set-up form makes the first administrator; then,
// in the demo, the province's administrator adds a unit, renames it, moves units, is refused
// where a rule says no, deactivates and reactivates — with screenshots at desktop and phone width.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startEmptyServer, startDemo, launch, signedIn, shot, DESKTOP } from '../lib.mjs';
import { phoneShot } from '../steps.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** `gocua serve` on an empty database (lib.mjs), with its set-up link from standard output. */
async function freshServer() {
  const s = await startEmptyServer();
  return { link: s.setupLink, url: s.url, stdout: s.log, stop: s.stop };
}

test('first run: the printed link sets up the first administrator and signs them in', { timeout: 120_000 }, async () => {
  const server = await freshServer();
  try {
    assert.match(server.stdout(), /^Thiết lập lần đầu \(dùng một lần, hết hạn lúc \d\d:\d\d, \d\d\/\d\d\/\d{4}\) \/ first-run set-up: /m);
    const context = await browser.newContext({ viewport: DESKTOP, locale: 'vi-VN' });
    const page = await context.newPage();
    await page.goto(server.link);
    assert.equal(await page.locator('h1').innerText(), 'Thiết lập Gõ Cửa');
    assert.equal(await page.locator('select[name=areas]').inputValue(), '2025-07', 'the July 2025 list is the default');
    assert.equal(await page.locator('select[name=unit_kind]').inputValue(), 'province_union');
    await shot(page, 'setup-desktop');
    await phoneShot(browser, page, 'setup-phone');

    const fill = async (password, again) => {
      await page.fill('input[name=username]', 'tinhdoan');
      await page.fill('input[name=display_name]', 'Nguyễn Thị Thu Hà');
      await page.fill('input[name=password]', password);
      await page.fill('input[name=password_again]', again);
      await page.fill('input[name=unit_name]', 'Tỉnh Đoàn Vĩnh Long');
      await page.selectOption('select[name=province]', '86');
    };
    // Two different passwords: the form again, with the reason; nothing made.
    await fill('mật-khẩu-thiết-lập-2026', 'mật-khẩu-khác-2026');
    await page.click('button[type=submit]');
    assert.equal(await page.locator('p.error').getAttribute('data-code'), 'password_mismatch');
    assert.match(await page.locator('p.error').innerText(), /Hai lần nhập mật khẩu không giống nhau/);
    assert.equal(await page.inputValue('input[name=unit_name]'), 'Tỉnh Đoàn Vĩnh Long', 'what was typed stays');
    await shot(page, 'setup-refused-desktop');

    await fill('mật-khẩu-thiết-lập-2026', 'mật-khẩu-thiết-lập-2026');
    await Promise.all([page.waitForURL(/\/admin\?done=setup$/, { timeout: 30_000 }), page.click('button[type=submit]')]);
    assert.match(await page.locator('p.notice').innerText(), /Đã thiết lập xong/);
    assert.match(await page.locator('header .who').innerText(), /Nguyễn Thị Thu Hà · Quản trị/);
    await shot(page, 'setup-done-admin-desktop');
    await page.click('a[href="/admin/units"]');
    const top = page.locator('ul.unittree li.depth-0');
    assert.match(await top.innerText(), /Tỉnh Đoàn Vĩnh Long[\s\S]*Tỉnh Đoàn[\s\S]*Vĩnh Long \(86\)/);
    await shot(page, 'units-first-run-desktop');

    // The link is spent: the same page as for any wrong link.
    const again = await page.goto(server.link);
    assert.equal(again.status(), 404);
    assert.equal(await page.locator('p.error').getAttribute('data-code'), 'setup_link_invalid');
    await context.close();
  } finally {
    await server.stop();
  }
});

test('units: add, rename, move, refusals, deactivate and reactivate', { timeout: 180_000 }, async () => {
  const server = await startDemo(7);
  try {
    const page = await signedIn(browser, server, 'tinhdoan');
    await page.goto(server.url + '/admin');
    await Promise.all([page.waitForURL(/\/admin\/units$/), page.click('a[href="/admin/units"]')]);
    const rows = page.locator('ul.unittree li');
    assert.ok(await rows.count() >= 5, 'the province and its commune unions');
    assert.match(await page.locator('ul.unittree li.depth-1', { hasText: 'Đoàn phường Bến Tre' }).innerText(), /Đoàn xã, phường[\s\S]*1 đội/);
    await shot(page, 'units-desktop');
    await phoneShot(browser, page, 'units-phone');

    // A new commune union, by the form.
    await page.click('a.button:has-text("Thêm đơn vị")');
    await page.fill('input[name=name]', 'Đoàn xã Long Hồ');
    assert.equal(await page.locator('select[name=kind]').inputValue(), 'commune_union');
    await page.selectOption('select[name=area]', { label: 'Xã Long Hồ (29602)' });
    await shot(page, 'units-new-desktop');
    await phoneShot(browser, page, 'units-new-phone');
    await Promise.all([page.waitForURL(/\/admin\/units\/[0-9a-f-]+\?done=created$/), page.click('button:has-text("Tạo đơn vị")')]);
    assert.equal(await page.locator('p.notice').innerText(), 'Đã tạo đơn vị.');
    assert.equal(await page.locator('h1').innerText(), 'Đoàn xã Long Hồ');
    assert.match(await page.locator('dl.facts').innerText(), /Xã Long Hồ \(29602\)/);
    const longHo = page.url().match(/units\/([0-9a-f-]+)/)[1];
    await shot(page, 'unit-edit-desktop');
    await phoneShot(browser, page, 'unit-edit-phone');

    // Rename.
    await page.fill('section.change input[name=name]', 'Đoàn xã Long Hồ (Vĩnh Long)');
    await Promise.all([page.waitForURL(/done=renamed$/), page.click('button:has-text("Lưu tên")')]);
    assert.equal(await page.locator('h1').innerText(), 'Đoàn xã Long Hồ (Vĩnh Long)');

    // A branch below it, with no area, then moved to another commune union.
    await page.click('a.button:has-text("Thêm đơn vị cấp dưới")');
    await page.fill('input[name=name]', 'Chi đoàn ấp Long Hoà');
    await page.selectOption('select[name=kind]', 'other');
    assert.equal(await page.locator('select[name=parent] option:checked').innerText(), '\u00a0\u00a0Đoàn xã Long Hồ (Vĩnh Long)');
    await Promise.all([page.waitForURL(/done=created$/), page.click('button:has-text("Tạo đơn vị")')]);
    await page.selectOption('section.change select[name=parent]', { label: '\u00a0\u00a0Đoàn xã Mỏ Cày' });
    await Promise.all([page.waitForURL(/done=moved$/), page.click('button:has-text("Chuyển")')]);
    assert.match(await page.locator('dl.facts').innerText(), /Đơn vị cấp trên\s+Đoàn xã Mỏ Cày/);

    // Refused: Long Hồ's union cannot move under Mỏ Cày's (its commune is not Mỏ Cày's).
    await page.goto(`${server.url}/admin/units/${longHo}`);
    await page.selectOption('section.change select[name=parent]', { label: '\u00a0\u00a0Đoàn xã Mỏ Cày' });
    await page.click('button:has-text("Chuyển")');
    assert.equal(await page.locator('p.error').getAttribute('data-code'), 'unit_area_outside_parent');
    await shot(page, 'unit-move-refused-desktop');

    // Refused: a union with a team still working cannot stop; the page names the team.
    await page.goto(server.url + '/admin/units');
    await page.click('ul.unittree a.name:has-text("Đoàn phường Bến Tre")');
    const benTre = page.url();
    await page.click('button:has-text("Ngừng hoạt động đơn vị này")');
    assert.equal(await page.locator('p.error').getAttribute('data-code'), 'unit_not_empty');
    assert.match(await page.locator('div.blockers').innerText(), /Đội TNTN phường Bến Tre/);
    await shot(page, 'unit-deactivate-refused-desktop');
    await phoneShot(browser, page, 'unit-with-team-phone', benTre);

    // Long Hồ's union is empty now: it stops, shows greyed in the tree, and comes back.
    await page.goto(`${server.url}/admin/units/${longHo}`);
    await Promise.all([page.waitForURL(/done=deactivated$/), page.click('button:has-text("Ngừng hoạt động đơn vị này")')]);
    assert.match(await page.locator('dl.facts').innerText(), /Đã ngừng hoạt động từ \d\d\/\d\d\/\d{4}/);
    await page.goto(server.url + '/admin/units');
    const stopped = page.locator('ul.unittree li.inactive');
    assert.equal(await stopped.count(), 1);
    assert.match(await stopped.innerText(), /Đoàn xã Long Hồ \(Vĩnh Long\)[\s\S]*Đã ngừng hoạt động/);
    await shot(page, 'units-with-inactive-desktop');
    await phoneShot(browser, page, 'units-with-inactive-phone');
    await page.goto(server.url + '/admin/units/new');
    assert.equal(await page.locator(`select[name=parent] option[value="${longHo}"]`).count(), 0, 'no longer offered as a parent');
    await page.goto(`${server.url}/admin/units/${longHo}`);
    await Promise.all([page.waitForURL(/done=reactivated$/), page.click('button:has-text("Cho đơn vị hoạt động lại")')]);
    assert.equal(await page.locator('p.notice').innerText(), 'Đơn vị đã hoạt động lại.');

    // Everything is in the audit log, in Vietnamese.
    await page.goto(server.url + '/audit');
    const log = await page.locator('table').innerText();
    for (const action of ['Tạo đơn vị', 'Đổi tên đơn vị', 'Chuyển đơn vị', 'Ngừng hoạt động đơn vị', 'Cho đơn vị hoạt động lại']) {
      assert.ok(log.includes(action), `the audit log has "${action}"`);
    }

    // The commune coordinator sees its own unit only, and may not move it.
    const xa = await signedIn(browser, server, 'xadoan');
    await xa.goto(server.url + '/admin/units');
    assert.equal(await xa.locator('ul.unittree li').count(), 1);
    await xa.click('ul.unittree a.name');
    assert.equal(await xa.locator('button:has-text("Chuyển")').count(), 0, 'no move form for its own unit');
    assert.equal(await xa.locator('button:has-text("Ngừng hoạt động")').count(), 0);
    await shot(xa, 'unit-own-coordinator-desktop');
  } finally {
    await server.stop();
  }
});

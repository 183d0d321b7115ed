// Administration of accounts and campaigns, clicked through as a province officer would: a new
// viewer account with a password shown once, its sign-in, lock (refused sign-in), unlock, rename,
// reset, deactivation; one's own password; a campaign created, its dates moved, a bad deadline
// refused. Screenshots of every page at desktop and phone width.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { signedIn, shot, DESKTOP } from '../lib.mjs';
import { demoWithBrowser, closeAll, shotsResized, submitRefused } from '../steps.mjs';

let server, browser, page;
before(async () => ({ server, browser, page } = await demoWithBrowser(9, 'tinhdoan')));
after(() => closeAll({ browser, server }));

/** A new browser (own cookies) trying to sign in; returns its page after the attempt. */
async function trySignIn(username, password) {
  const context = await browser.newContext({ viewport: DESKTOP, locale: 'vi-VN' });
  const p = await context.newPage();
  await p.goto(server.url + '/login');
  await p.fill('input[name=username]', username);
  await p.fill('input[name=password]', password);
  await Promise.all([p.waitForLoadState('load'), p.click('button[type=submit]')]);
  await p.waitForLoadState('load');
  return p;
}

let viewerPassword;
let accountUrl;

test('an administrator creates a viewer; the password is shown once and works', { timeout: 90_000 }, async () => {
  await page.goto(server.url + '/admin');
  await Promise.all([page.waitForURL(/\/admin\/accounts$/), page.click('a:has-text("Tài khoản cán bộ")')]);
  assert.equal(await page.locator('h1').innerText(), 'Tài khoản cán bộ');
  assert.ok(await page.locator('tr[data-username=xadoan][data-reach=manage]').count() === 1, 'the commune coordinator is manageable');
  assert.ok(await page.locator('tr[data-username=tinhdoan][data-reach=own]').count() === 1);
  await shotsResized(page, 'admin-accounts', 'window');

  await Promise.all([page.waitForURL(/\/admin\/accounts\/new$/), page.click('a:has-text("Tạo tài khoản")')]);
  await shotsResized(page, 'admin-accounts-new', 'window');
  await page.fill('input[name=username]', 'xem.tinh');
  await page.fill('input[name=display_name]', 'Lê Thị Xem');
  await page.selectOption('select[name=role]', 'viewer');
  await page.selectOption('select[name=unit]', { index: 0 });
  await Promise.all([page.waitForLoadState('load'), page.click('form.stack button[type=submit]')]);
  assert.match(await page.locator('p.notice').innerText(), /Đã tạo tài khoản "xem\.tinh"/);
  viewerPassword = (await page.locator('[data-password]').innerText()).trim();
  assert.match(viewerPassword, /^[a-hj-km-np-z2-9]{4}-[a-hj-km-np-z2-9]{4}-[a-hj-km-np-z2-9]{4}$/);
  await shotsResized(page, 'admin-accounts-password-once', 'window');

  const viewer = await trySignIn('xem.tinh', viewerPassword);
  assert.equal(new URL(viewer.url()).pathname, '/');
  assert.match(await viewer.locator('header .who').innerText(), /Lê Thị Xem · Chỉ xem/);
  await viewer.context().close();
});

test('the same username again is refused on the form, with what was typed kept', { timeout: 60_000 }, async () => {
  await page.goto(server.url + '/admin/accounts/new');
  await page.fill('input[name=username]', 'XEM.TINH');
  await page.fill('input[name=display_name]', 'Người Khác');
  await page.fill('input[name=password]', 'mật-khẩu-đủ-dài-2031');
  // Past the browser's own checks: the server decides.
  await submitRefused(page, 'form.stack button[type=submit]', 422, 'username_taken');
  assert.match(await page.locator('p.error').innerText(), /đã có người dùng/);
  assert.equal(await page.locator('input[name=display_name]').inputValue(), 'Người Khác');
  assert.equal(await page.locator('input[name=password]').inputValue(), '', 'the password is not sent back');
  await shotsResized(page, 'admin-accounts-new-refused', 'window');
});

test('lock refuses sign-in with its own message; unlock, rename, reset and deactivate', { timeout: 120_000 }, async () => {
  await page.goto(server.url + '/admin/accounts');
  await Promise.all([page.waitForURL(/\/admin\/accounts\/[0-9a-f-]{36}$/), page.click('tr[data-username="xem.tinh"] a:has-text("xem.tinh")')]);
  accountUrl = page.url();
  await shotsResized(page, 'admin-account', 'window');

  await Promise.all([page.waitForURL(/done=locked/), page.click('button:has-text("Khoá tài khoản")')]);
  assert.equal(await page.locator('[data-status]').getAttribute('data-status'), 'locked');
  const refused = await trySignIn('xem.tinh', viewerPassword);
  assert.equal(await refused.locator('p.error').getAttribute('data-code'), 'account_locked_by_admin');
  assert.match(await refused.locator('p.error').innerText(), /đang bị cán bộ quản trị khoá/);
  await shot(refused, 'login-locked-by-admin-desktop');
  await refused.context().close();

  await Promise.all([page.waitForURL(/done=unlocked/), page.click('button:has-text("Mở khoá")')]);
  assert.equal(await page.locator('[data-status]').getAttribute('data-status'), 'active');

  await page.fill('input[name=display_name]', 'Lê Thị Xem Lại');
  await Promise.all([page.waitForURL(/done=renamed/), page.click('button:has-text("Lưu họ tên")')]);
  assert.match(await page.locator('dl.facts').innerText(), /Lê Thị Xem Lại/);

  await Promise.all([page.waitForLoadState('load'), page.click('button:has-text("Tạo mật khẩu mới")')]);
  const reset = (await page.locator('[data-password]').innerText()).trim();
  assert.notEqual(reset, viewerPassword);
  await shotsResized(page, 'admin-account-reset', 'window');
  const old = await trySignIn('xem.tinh', viewerPassword);
  assert.equal(await old.locator('p.error').getAttribute('data-code'), 'wrong_credentials');
  await old.context().close();
  const fresh = await trySignIn('xem.tinh', reset);
  assert.equal(new URL(fresh.url()).pathname, '/');

  await page.goto(accountUrl);
  await page.check('input[name=confirm]');
  await Promise.all([page.waitForURL(/done=deactivated/), page.click('button:has-text("Ngừng tài khoản")')]);
  assert.equal(await page.locator('[data-status]').getAttribute('data-status'), 'deactivated');
  assert.equal(await page.locator('button:has-text("Khoá tài khoản")').count(), 0, 'no more actions');
  await fresh.reload();
  assert.match(new URL(fresh.url()).pathname, /^\/login/, 'the open session ended');
  await fresh.context().close();
  await shot(page, 'admin-account-deactivated-desktop');

  await page.goto(server.url + '/audit');
  for (const action of ['Tạo tài khoản', 'Khoá tài khoản', 'Mở khoá tài khoản', 'Đổi tên tài khoản', 'Đặt lại mật khẩu', 'Ngừng tài khoản']) {
    assert.ok(await page.locator('tr', { hasText: action }).count() >= 1, action);
  }
});

test('one\'s own password, from the name in the header', { timeout: 60_000 }, async () => {
  await page.goto(server.url + '/');
  await Promise.all([page.waitForURL(/\/account\/password$/), page.click('header .who a')]);
  await shotsResized(page, 'account-password', 'window');
  await page.fill('input[name=current]', server.accounts.tinhdoan);
  await page.fill('input[name=new]', 'mật khẩu mới của tỉnh đoàn');
  await page.fill('input[name=again]', 'mật khẩu mới của tỉnh đoàn');
  await Promise.all([page.waitForURL(/done=1/), page.click('form.stack button[type=submit]')]);
  assert.match(await page.locator('p.notice').innerText(), /Đã đổi mật khẩu/);
  const again = await trySignIn('tinhdoan', 'mật khẩu mới của tỉnh đoàn');
  assert.equal(new URL(again.url()).pathname, '/');
  await again.context().close();
});

test('a campaign is created, its dates moved, a deadline before the start refused', { timeout: 90_000 }, async () => {
  await page.goto(server.url + '/admin');
  await Promise.all([page.waitForURL(/\/admin\/campaigns$/), page.click('a:has-text("Kế hoạch")')]);
  assert.ok(await page.locator('table.campaigns tbody tr').count() >= 1, 'the demo campaign is listed');
  await shotsResized(page, 'admin-campaigns', 'window');

  await Promise.all([page.waitForURL(/\/admin\/campaigns\/new$/), page.click('a:has-text("Tạo kế hoạch")')]);
  await shotsResized(page, 'admin-campaigns-new', 'window');
  await page.fill('input[name=name]', 'Chiến dịch Thanh niên tình nguyện hè 2031');
  await page.fill('input[name=reference]', '88-KH/TĐTN-PT');
  await page.fill('input[name=from]', '2031-06-01');
  await page.fill('input[name=to]', '2031-08-31');
  await page.fill('input[name=deadline]', '2031-09-10');
  await page.fill('input[name=peak_name_0]', 'Tháng cao điểm');
  await page.fill('input[name=peak_from_0]', '2031-07-01');
  await page.fill('input[name=peak_to_0]', '2031-07-31');
  await Promise.all([page.waitForURL(/done=created/), page.click('form.campaign button[type=submit]')]);
  assert.equal(await page.locator('[data-status]').first().getAttribute('data-status'), 'upcoming');
  assert.equal(await page.locator('input[name=peak_name_0]').inputValue(), 'Tháng cao điểm');
  assert.equal(await page.locator('input[name=peak_name_2]').count(), 1, 'two empty rows besides the window');
  await shotsResized(page, 'admin-campaign', 'window');

  await page.fill('input[name=to]', '2031-09-15');
  await Promise.all([page.waitForURL(/done=recounted/), page.click('form.campaign button[type=submit]')]);
  assert.equal(await page.locator('input[name=to]').inputValue(), '2031-09-15');
  assert.match(await page.locator('p.notice').innerText(), /tính lại tiến độ/);

  await page.fill('input[name=deadline]', '2031-05-01');
  await submitRefused(page, 'form.campaign button[type=submit]', 422, 'deadline_before_start');
  assert.match(await page.locator('p.error').innerText(), /Hạn báo cáo \(01\/05\/2031\) trước ngày bắt đầu \(01\/06\/2031\)/);
  await shotsResized(page, 'admin-campaign-refused', 'window');

  await page.goto(server.url + '/admin/campaigns');
  const row = page.locator('tr', { hasText: 'Chiến dịch Thanh niên tình nguyện hè 2031' });
  assert.match(await row.innerText(), /01\/06\/2031 – 15\/09\/2031/);
});

test('a commune coordinator sees its accounts but no campaigns page', { timeout: 60_000 }, async () => {
  const xa = await signedIn(browser, server, 'xadoan');
  await xa.goto(server.url + '/admin');
  assert.equal(await xa.locator('a:has-text("Kế hoạch")').count(), 0);
  const resp = await xa.goto(server.url + '/admin/campaigns');
  assert.equal(resp.status(), 403);
  assert.equal(await xa.locator('p.error').getAttribute('data-code'), 'forbidden');
  await xa.goto(server.url + '/admin/accounts/new');
  await shot(xa, 'admin-accounts-new-commune-desktop');
  await xa.context().close();
});

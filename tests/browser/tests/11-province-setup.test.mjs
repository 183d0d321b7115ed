// A province set up from an empty database through the browser alone, as a provincial Youth
// Union officer would on the first day: the one-time link `gocua serve` prints, the official area
// list, a commune union and its coordinator's account; the commune coordinator signs in with the
// password shown once and makes a team with two members; the province makes a campaign and fills
// its targets in the downloaded sheet; the commune issues an enrolment code; then a simulated
// phone (gocua-phone: the real device library) enrols with that code, records a field day offline
// and syncs — and the overview, the visits and the targets show it. No `gocua admin` anywhere.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startEmptyServer, runPhone, launch, shot, achieved, num, DESKTOP } from '../lib.mjs';
import { shotsAtBothWidths, downloadWorkbook } from '../steps.mjs';

let server, browser;
before(async () => {
  server = await startEmptyServer();
  browser = await launch();
});
after(async () => { await browser?.close(); await server?.stop(); });

/** A new browser (own cookies) at desktop width. */
async function newPage() {
  const context = await browser.newContext({ viewport: DESKTOP, locale: 'vi-VN', acceptDownloads: true });
  context.setDefaultTimeout(15_000);
  return context.newPage();
}

/** Picks the option of `select` whose text matches `re` (ids and codes are not known ahead). */
async function chooseOption(page, select, re) {
  const value = await page.locator(select).evaluate(
    (el, source) => [...el.options].find((o) => new RegExp(source).test(o.textContent))?.value,
    re.source,
  );
  assert.ok(value, `${select} offers an option matching ${re}`);
  await page.selectOption(select, value);
}

async function signIn(username, password) {
  const page = await newPage();
  await page.goto(server.url + '/login');
  await page.fill('input[name=username]', username);
  await page.fill('input[name=password]', password);
  await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/login')), page.click('button[type=submit]')]);
  return page;
}

/** Vietnam's calendar day, `days` from today, as `YYYY-MM-DD` (never the machine's zone). */
function vietnamDay(days) {
  const at = new Date(Date.now() + days * 86_400_000);
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh', year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

const TEAM = 'Đội TNTN phường Bến Tre';
const HOUSEHOLDS_TARGET = 120;
let province, commune, communePassword, teamUrl, code, phone;

test('first run: the printed link makes the administrator, the province and its area list', { timeout: 120_000 }, async () => {
  province = await newPage();
  await province.goto(server.setupLink);
  await shotsAtBothWidths(browser, province, 'province-setup');
  assert.equal(await province.locator('select[name=areas]').inputValue(), '2025-07', 'the July 2025 list is offered first');
  await province.fill('input[name=username]', 'tinhdoan.vl');
  await province.fill('input[name=display_name]', 'Trần Minh Khoa');
  await province.fill('input[name=password]', 'Vĩnh-Long-2026-tình-nguyện');
  await province.fill('input[name=password_again]', 'Vĩnh-Long-2026-tình-nguyện');
  await province.fill('input[name=unit_name]', 'Tỉnh Đoàn Vĩnh Long');
  await chooseOption(province, 'select[name=province]', /Vĩnh Long/);
  await Promise.all([province.waitForURL(/\/admin\?done=setup$/, { timeout: 60_000 }), province.click('button[type=submit]')]);
  assert.match(await province.locator('header .who').innerText(), /Trần Minh Khoa · Quản trị/);
  assert.equal(await province.locator('ul.cards li').count(), 7, 'every administration section is open to the top unit');
  await shotsAtBothWidths(browser, province, 'province-admin');
  // The link is spent.
  const again = await (await newPage()).goto(server.setupLink);
  assert.equal(again.status(), 404);
});

test('the province adds a commune union and its coordinator, whose password is shown once', { timeout: 90_000 }, async () => {
  await province.goto(server.url + '/admin');
  await Promise.all([province.waitForURL(/\/admin\/units$/), province.click('a[href="/admin/units"]')]);
  await province.click('a.button:has-text("Thêm đơn vị")');
  await province.fill('input[name=name]', 'Đoàn phường Bến Tre');
  await chooseOption(province, 'select[name=kind]', /Đoàn xã/);
  await chooseOption(province, 'select[name=area]', /^\s*Phường Bến Tre \(/);
  await Promise.all([province.waitForURL(/done=created$/), province.click('button:has-text("Tạo đơn vị")')]);
  assert.equal(await province.locator('h1').innerText(), 'Đoàn phường Bến Tre');
  await shotsAtBothWidths(browser, province, 'province-unit');

  await province.goto(server.url + '/admin/accounts/new');
  await province.fill('input[name=username]', 'xadoan.bentre');
  await province.fill('input[name=display_name]', 'Lê Thị Ngọc Hân');
  await province.selectOption('select[name=role]', 'coordinator');
  await chooseOption(province, 'select[name=unit]', /Đoàn phường Bến Tre/);
  await Promise.all([province.waitForLoadState('load'), province.click('form.stack button[type=submit]')]);
  communePassword = (await province.locator('[data-password]').innerText()).trim();
  assert.match(communePassword, /^[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}$/);
  await shot(province, 'province-account-password-once-desktop');
});

test('the commune coordinator signs in and makes a team with two members', { timeout: 90_000 }, async () => {
  commune = await signIn('xadoan.bentre', communePassword);
  assert.match(await commune.locator('header .who').innerText(), /Lê Thị Ngọc Hân · Cán bộ điều phối/);
  await commune.goto(server.url + '/admin');
  assert.equal(await commune.locator('a[href="/admin/campaigns"]').count(), 0, 'campaigns belong to the province');
  await Promise.all([commune.waitForURL(/\/admin\/teams$/), commune.click('a[href="/admin/teams"]')]);
  await Promise.all([commune.waitForURL(/\/admin\/teams\/new/), commune.click('a.button:has-text("Thêm đội")')]);
  const own = commune.locator('ul.area-list > li', { hasText: 'Phường Bến Tre' });
  assert.ok(await own.locator('> label input').isChecked(), 'the unit\'s own commune comes ticked');
  await commune.fill('input[name=name]', TEAM);
  await Promise.all([commune.waitForURL(/\/admin\/teams\/[^/]+\?done=/), commune.click('form.card button.primary:has-text("Tạo đội")')]);
  teamUrl = commune.url().split('?')[0];
  for (const [name, leader] of [['Phạm Quốc Bảo', true], ['Võ Thị Thanh Trúc', false]]) {
    await commune.fill('form.add-member input[name=name]', name);
    if (leader) await commune.check('form.add-member input[name=leader]');
    await Promise.all([commune.waitForURL(/\?done=/), commune.click('form.add-member button')]);
  }
  const members = commune.locator('table.members tbody tr');
  assert.equal(await members.count(), 2);
  assert.match(await members.filter({ hasText: 'Phạm Quốc Bảo' }).innerText(), /Đội trưởng/);
  await shotsAtBothWidths(browser, commune, 'commune-team');
});

test('the province makes a campaign and sets the team\'s targets by the Excel sheet', { timeout: 120_000 }, async () => {
  await province.goto(server.url + '/admin/campaigns/new');
  await province.fill('input[name=name]', 'Đi từng ngõ, gõ từng nhà – Vĩnh Long');
  await province.fill('input[name=reference]', '241-KH/TĐTN-TCKT');
  await province.fill('input[name=from]', vietnamDay(-10));
  await province.fill('input[name=to]', vietnamDay(50));
  await province.fill('input[name=deadline]', vietnamDay(55));
  await Promise.all([province.waitForURL(/done=created/), province.click('form.campaign button[type=submit]')]);
  assert.equal(await province.locator('[data-status]').first().getAttribute('data-status'), 'running');

  await province.goto(server.url + '/admin/targets');
  const { wb, ws } = await downloadWorkbook(province, 'a:has-text("Tải bảng Excel")', 'province-target-sheet.xlsx');
  let row = null, column = null;
  ws.getRow(3).eachCell((cell, c) => { if (/^Hộ được đến/.test(String(cell.value))) column = c; });
  ws.eachRow((r, n) => { if (n > 3 && String(r.getCell(2).value) === TEAM) row = n; });
  assert.ok(row && column, `the sheet has a row for ${TEAM} and a households column`);
  ws.getRow(row).getCell(column).value = HOUSEHOLDS_TARGET;
  await province.setInputFiles('form.upload input[type=file]', {
    name: 'chi-tieu-vinh-long.xlsx',
    mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    buffer: Buffer.from(await wb.xlsx.writeBuffer()),
  });
  await Promise.all([province.waitForURL(/\/admin\/targets\/uploads\//), province.click('form.upload button[type=submit]')]);
  const changes = await province.locator('table.preview tbody tr').allInnerTexts();
  assert.equal(changes.length, 1, changes.join('\n'));
  assert.match(changes[0], new RegExp(`${TEAM}[\\s\\S]*${HOUSEHOLDS_TARGET}`));
  await shotsAtBothWidths(browser, province, 'province-targets-preview');
  await Promise.all([province.waitForURL(/notice=saved/), province.click('form.actions button:has-text("Xác nhận")')]);
});

test('the commune issues an enrolment code; a phone enrols with it, works offline and syncs', { timeout: 180_000 }, async () => {
  await commune.goto(teamUrl);
  const leader = commune.locator('table.members tbody tr', { hasText: 'Phạm Quốc Bảo' });
  await leader.locator('details.actions > summary').click();
  await Promise.all([commune.waitForURL(/\/teams\/[^/]+\/codes$/), leader.locator('button:has-text("Cấp mã đăng ký")').click()]);
  code = (await commune.locator('[data-testid=enrol-code]').innerText()).trim();
  assert.match(code, /^[A-Z2-9]{4}-[A-Z2-9]{4}$/);
  await shot(commune, 'commune-enrol-code-desktop'); // the answer to a POST: no second visit at phone width

  phone = await runPhone(server, code, 8);
  assert.equal(phone.visits, 8);
  assert.equal(phone.accepted, phone.households + phone.visits + phone.sessions + phone.feedback, 'everything the phone recorded was accepted');
});

test('the overview, the visits and the target show the phone\'s work', { timeout: 90_000 }, async () => {
  await commune.goto(server.url + '/visits');
  const rows = commune.locator('main table tbody tr');
  assert.equal(await rows.count(), phone.visits, 'every visit the phone made is listed');
  const met = await rows.filter({ hasText: 'Gặp được hộ' }).count();
  assert.ok(met > 0 && met < phone.visits, `some met, some not home (${met} of ${phone.visits})`);
  for (const text of await rows.allInnerTexts()) assert.match(text, new RegExp(TEAM));

  await province.goto(server.url + '/');
  const card = province.locator('div.indicator[data-indicator=households_visited] .count');
  const shown = await card.innerText();
  assert.equal(achieved(shown), met, `households met on the overview: "${shown}"`);
  assert.match(shown, new RegExp(`/\\s*${HOUSEHOLDS_TARGET}(\\s|$)`), 'against the target from the sheet');
  const unitRow = province.locator('table.overview tr', { hasText: 'Đoàn phường Bến Tre' });
  assert.equal(await unitRow.count(), 1, 'the commune union is a row of the province overview');
  assert.ok(num(await unitRow.innerText()) > 0);
  await shotsAtBothWidths(browser, province, 'province-overview');
});

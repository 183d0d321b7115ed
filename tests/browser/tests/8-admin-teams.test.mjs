// Teams and members administered in the browser: the commune coordinator of the demo creates a
// team in two hamlets, adds two members, chooses the leader, renames, issues an enrolment code,
// moves a member to the commune's other team, deactivates a member and the team; the province
// sees every unit's teams and picks among its communes. Screenshots at desktop and phone width.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { signedIn, shot } from '../lib.mjs';
import { demoWithBrowser, closeAll, shotsAtBothWidths, submitRefused } from '../steps.mjs';

let server, browser, page;
before(async () => ({ server, browser, page } = await demoWithBrowser(7, 'xadoan')));
after(() => closeAll({ browser, server }));

const memberRow = (name) => page.locator('table.members tbody tr', { hasText: name });

async function submit(locator, url = /\/admin\/teams\/[^/]+\?done=/) {
  await Promise.all([page.waitForURL(url), locator.click()]);
}

test('a commune coordinator runs a team from the browser', { timeout: 180_000 }, async () => {
  // The administration index leads to the teams.
  await page.goto(server.url + '/admin');
  await Promise.all([page.waitForURL(/\/admin\/teams$/), page.click('a:has-text("Đội và đội viên")')]);
  assert.equal(await page.locator('h1').innerText(), 'Đội và đội viên');
  assert.match(await page.locator('table.teams').innerText(), /Đội TNTN phường Bến Tre/);
  assert.doesNotMatch(await page.locator('main').innerText(), /Mỏ Cày/, 'only its own unit');
  await shotsAtBothWidths(browser, page, 'admin-teams-list');

  // A new team: the unit's commune comes ticked; this team works in two of its hamlets only.
  await Promise.all([page.waitForURL(/\/admin\/teams\/new/), page.click('a.button:has-text("Thêm đội")')]);
  const commune = page.locator('ul.area-list > li', { hasText: 'Phường Bến Tre' });
  assert.ok(await commune.locator('> label input').isChecked(), 'the unit\'s own commune is preselected');
  await commune.locator('> label input').uncheck();
  await commune.locator('details.hamlets > summary').click();
  await commune.locator('details.hamlets label', { hasText: 'Khu phố 1' }).locator('input').check();
  await commune.locator('details.hamlets label', { hasText: 'Khu phố 2' }).locator('input').check();
  await page.fill('input[name=name]', 'Tổ công nghệ số khu phố 1');
  await shotsAtBothWidths(browser, page, 'admin-teams-new', async (p) => { await p.locator('details.hamlets > summary').first().click(); });
  await submit(page.locator('form.card button.primary:has-text("Tạo đội")'));
  assert.match(await page.locator('p.notice').innerText(), /Đã tạo đội/);
  assert.match(await page.locator('.team-summary').innerText(), /Khu phố 1, Khu phố 2/);
  const teamUrl = page.url().split('?')[0];

  // Two members, the first one the leader; then the other becomes leader (one per team).
  await page.fill('form.add-member input[name=name]', 'Ngô Thị Mai');
  await page.check('form.add-member input[name=leader]');
  await submit(page.locator('form.add-member button'));
  await page.fill('form.add-member input[name=name]', 'Đặng Văn Hùng');
  await submit(page.locator('form.add-member button'));
  assert.match(await memberRow('Ngô Thị Mai').innerText(), /Đội trưởng/);
  await memberRow('Đặng Văn Hùng').locator('details.actions > summary').click();
  await submit(memberRow('Đặng Văn Hùng').locator('button:has-text("Làm đội trưởng")'));
  assert.match(await memberRow('Đặng Văn Hùng').innerText(), /Đội trưởng/);
  assert.match(await memberRow('Ngô Thị Mai').innerText(), /Đội viên/);

  // Renaming the member and the team.
  await memberRow('Đặng Văn Hùng').locator('details.actions > summary').click();
  await memberRow('Đặng Văn Hùng').locator('input[name=name]').fill('Đặng Văn Hưng');
  await submit(memberRow('Đặng Văn Hùng').locator('button:has-text("Đổi tên")'));
  assert.equal(await memberRow('Đặng Văn Hưng').count(), 1);
  await page.fill('form[action^="/admin/teams/"][action$="/rename"] input[name=name]', 'Tổ công nghệ số cộng đồng khu phố 1');
  await submit(page.locator('button:has-text("Lưu tên")'));
  assert.equal(await page.locator('h1').innerText(), 'Tổ công nghệ số cộng đồng khu phố 1');
  await shotsAtBothWidths(browser, page, 'admin-team', async (p) => {
    await p.locator('table.members details.actions > summary').first().click();
  });

  // An enrolment code for Hưng's phone, through the team page that issues them.
  await page.locator('table.members details.actions > summary').nth(1).click();
  await Promise.all([page.waitForURL(/\/teams\/[^/]+\/codes$/), memberRow('Đặng Văn Hưng').locator('button:has-text("Cấp mã đăng ký")').click()]);
  assert.match(await page.locator('[data-testid=enrol-code]').innerText(), /^[A-Z2-9]{4}-[A-Z2-9]{4}$/);
  await page.goto(teamUrl);

  // Mai moves to the commune's other team.
  await memberRow('Ngô Thị Mai').locator('details.actions > summary').click();
  await memberRow('Ngô Thị Mai').locator('select[name=team]').selectOption({ label: 'Đội TNTN phường Bến Tre' });
  await submit(memberRow('Ngô Thị Mai').locator('button:has-text("Chuyển")'));
  assert.match(await page.locator('p.notice').innerText(), /Đã chuyển đội viên/);
  assert.equal(await memberRow('Ngô Thị Mai').count(), 0);

  // Hưng leaves, after a confirmation that says his phone stops syncing.
  await memberRow('Đặng Văn Hưng').locator('details.actions > summary').click();
  await Promise.all([page.waitForURL(/\/admin\/members\/[^/]+\/deactivate$/), memberRow('Đặng Văn Hưng').locator('a:has-text("Ngừng hoạt động")').click()]);
  assert.match(await page.locator('[data-testid=effect]').innerText(), /ngừng đồng bộ/);
  await shotsAtBothWidths(browser, page, 'admin-member-deactivate');
  await submit(page.locator('.confirm button.danger'));
  assert.match(await page.locator('p.notice').innerText(), /Đã ngừng hoạt động đội viên/);
  assert.match(await page.locator('ul.former').innerText(), /Đặng Văn Hưng/);
  assert.match(await page.locator('table.members').innerText(), /Đội chưa có đội viên/);

  // The team itself: asked first, then deactivated; it leaves the list.
  await Promise.all([page.waitForURL(/\/deactivate$/), page.click('a:has-text("Ngừng hoạt động đội")')]);
  await shotsAtBothWidths(browser, page, 'admin-team-deactivate');
  await submit(page.locator('.confirm button.danger'));
  assert.match(await page.locator('[data-status=deactivated]').innerText(), /Đã ngừng/);
  await shotsAtBothWidths(browser, page, 'admin-team-deactivated');
  await page.goto(server.url + '/admin/teams');
  assert.doesNotMatch(await page.locator('main').innerText(), /khu phố 1/);
  await Promise.all([page.waitForURL(/all=1/), page.click('a:has-text("đã ngừng hoạt động")')]);
  assert.match(await page.locator('table.teams').innerText(), /Tổ công nghệ số cộng đồng khu phố 1[\s\S]*Đã ngừng/);

  // The audit log has each change.
  await page.goto(server.url + '/audit');
  const log = await page.locator('main').innerText();
  for (const what of ['Tạo đội', 'Thêm đội viên', 'Chọn đội trưởng', 'Đổi tên đội viên', 'Chuyển đội viên sang đội khác', 'Ngừng hoạt động đội viên', 'Ngừng hoạt động đội']) {
    assert.ok(log.includes(what), `the audit log lacks "${what}"`);
  }
});

test('the province sees every unit\'s teams and chooses among its communes', { timeout: 120_000 }, async () => {
  page = await signedIn(browser, server, 'tinhdoan');
  await page.goto(server.url + '/admin/teams');
  assert.ok(await page.locator('main h2').count() >= 4, 'a group per commune union');
  await shotsAtBothWidths(browser, page, 'admin-teams-province');
  await page.goto(server.url + '/admin/teams/new');
  const groups = page.locator('details.area-group');
  assert.ok(await groups.count() >= 2, 'communes grouped (phường, xã)');
  const boxes = await page.locator('ul.area-list > li > label input').count();
  assert.ok(boxes > 100, `the province's communes are offered (${boxes})`);
  await groups.first().locator('> summary').click();
  await shotsAtBothWidths(browser, page, 'admin-teams-new-province', async (p) => { await p.locator('details.area-group > summary').first().click(); });
  // Nothing ticked: refused on the form with its code, the name kept.
  await page.fill('input[name=name]', 'Đội thử');
  await submitRefused(page, 'form.card button.primary', 422, 'areas_required');
  assert.equal(await page.inputValue('input[name=name]'), 'Đội thử');
  await shot(page, 'admin-teams-new-refused-desktop');
});

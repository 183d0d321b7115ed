// Administration uploads as a coordinator does them: a commune's hamlet list uploaded as CSV
// (a bad file shows every bad row, a good one a preview to confirm), one hamlet edited, a service
// code corrected and marked checked, and the bulk target sheet downloaded, filled in with a
// spreadsheet library, uploaded, previewed and confirmed. Screenshots at desktop and phone width.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { signedIn } from '../lib.mjs';
import { demoWithBrowser, closeAll, shotsResized, downloadWorkbook } from '../steps.mjs';

let server, browser;
before(async () => ({ server, browser } = await demoWithBrowser(7)));
after(() => closeAll({ browser, server }));

const csvFile = (name, text) => ({ name, mimeType: 'text/csv', buffer: Buffer.from(text, 'utf8') });

test('a commune coordinator uploads hamlets, sees the bad rows, confirms a good file and edits one', { timeout: 120_000 }, async () => {
  const page = await signedIn(browser, server, 'xadoan');
  await page.click('nav.main a:has-text("Quản trị")');
  await Promise.all([page.waitForURL(/\/admin\/hamlets/), page.click('a:has-text("Thôn, ấp, khu phố")')]);
  assert.equal(await page.locator('h1').innerText(), 'Thôn, ấp, khu phố');
  const commune = await page.locator('form.upload input[name=commune]').inputValue();
  const before = await page.locator('table.hamlets tbody tr').count();
  assert.ok(before > 0, 'the demo commune has hamlets');
  await shotsResized(page, 'admin-hamlets');

  // A file with an empty name and a row of another commune: both listed, nothing stored.
  await page.setInputFiles('form.upload input[type=file]', csvFile('thon-loi.csv',
    `code,name,division_type,commune_code\n${commune}-90,Ấp Mới Chín Mươi,ấp,${commune}\n${commune}-91,,ấp,${commune}\n99999-01,Ấp Lạ,ấp,99999\n`));
  await page.click('form.upload button[type=submit]');
  await page.waitForSelector('p.error[data-code=invalid_file]');
  const rows = await page.locator('table.problems tbody tr').allInnerTexts();
  assert.equal(rows.length, 2, rows.join('\n'));
  assert.match(rows[0], /^3\s+name\s+Dòng 3, cột name: tên thôn, ấp đang để trống\./);
  assert.match(rows[1], /^4\s+commune_code\s+/);
  await shotsResized(page, 'admin-hamlets-errors');

  // The corrected file: a preview with one new hamlet, confirmed.
  await page.setInputFiles('form.upload input[type=file]', csvFile('thon.csv',
    `code,name,division_type,commune_code\n${commune}-90,Ấp Mới Chín Mươi,ấp,${commune}\n`));
  await Promise.all([page.waitForURL(/\/admin\/hamlets\/uploads\//), page.click('form.upload button[type=submit]')]);
  assert.equal(await page.locator('table.preview tr[data-change=new]').count(), 1);
  await shotsResized(page, 'admin-hamlets-preview');
  await Promise.all([page.waitForURL(/notice=imported/), page.click('form.actions button:has-text("Xác nhận")')]);
  assert.match(await page.locator('p.notice').innerText(), /Đã lưu danh sách thôn, ấp/);
  assert.equal(await page.locator('table.hamlets tbody tr').count(), before + 1);

  // One hamlet edited by hand.
  await Promise.all([page.waitForURL(/\/admin\/hamlets\/[^?]+$/), page.click(`table.hamlets tr:has-text("${commune}-90") a:has-text("Sửa")`)]);
  await shotsResized(page, 'admin-hamlet-edit');
  await page.fill('input[name=name]', 'Ấp Chín Mươi');
  await page.fill('input[name=division_type]', 'khóm');
  await Promise.all([page.waitForURL(/notice=edited/), page.click('form.stack button[type=submit]')]);
  const row = page.locator(`table.hamlets tr:has-text("${commune}-90")`);
  assert.match(await row.innerText(), /Ấp Chín Mươi\s+khóm/);
  await page.context().close();
});

test('the top unit\'s administrator corrects a procedure code and marks it checked', { timeout: 60_000 }, async () => {
  const page = await signedIn(browser, server, 'tinhdoan');
  await page.click('nav.main a:has-text("Quản trị")');
  await Promise.all([page.waitForURL(/\/admin\/services$/), page.click('a:has-text("Danh mục dịch vụ")')]);
  const row = page.locator('table.services tr[data-key=judicial_record]');
  assert.match(await row.innerText(), /—/, 'no code yet');
  await shotsResized(page, 'admin-services');
  await Promise.all([page.waitForURL(/judicial_record$/), row.locator('td:first-child a').click()]);
  await page.fill('input[name=code]', '2.001263');
  await page.check('input[name=verified]');
  await page.selectOption('select[name=level_42]', 'toan_trinh');
  await shotsResized(page, 'admin-service-edit');
  await Promise.all([page.waitForURL(/notice=saved/), page.click('form.stack button[type=submit]')]);
  assert.match(await row.innerText(), /2\.001263\s+✓ đã kiểm tra\s+Toàn trình/);
  await page.context().close();
});

test('the bulk target sheet: download, fill in, upload, preview, confirm', { timeout: 120_000 }, async () => {
  const page = await signedIn(browser, server, 'tinhdoan');
  await page.click('nav.main a:has-text("Quản trị")');
  await Promise.all([page.waitForURL(/\/admin\/targets/), page.click('a:has-text("Chỉ tiêu theo bảng")')]);
  await shotsResized(page, 'admin-targets');
  const { wb, ws } = await downloadWorkbook(page, 'a:has-text("Tải bảng Excel")', 'target-sheet.xlsx');
  assert.match(String(ws.getCell('A1').value), /^Chỉ tiêu – /);
  assert.equal(ws.getCell('C3').value, 'Buổi tuyên truyền, tư vấn');
  assert.match(String(ws.getCell('K3').value), /đừng sửa/);
  const team = ws.getCell('B4').value;
  const sessions = Number(ws.getCell('C4').value);
  ws.getCell('C4').value = sessions + 5;      // a new target
  ws.getCell('D5').value = null;              // emptied: "no target"
  const buffer = Buffer.from(await wb.xlsx.writeBuffer());

  await page.setInputFiles('form.upload input[type=file]', { name: 'chi-tieu.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer });
  await Promise.all([page.waitForURL(/\/admin\/targets\/uploads\//), page.click('form.upload button[type=submit]')]);
  const changes = await page.locator('table.preview tbody tr').allInnerTexts();
  assert.equal(changes.length, 2, changes.join('\n'));
  assert.ok(changes.some((c) => c.includes(team) && c.includes(String(sessions + 5))), changes.join('\n'));
  assert.ok(changes.some((c) => /không giao$/.test(c.trim())), changes.join('\n'));
  assert.match(await page.locator('p.warning').innerText(), /1 ô để trống/);
  await shotsResized(page, 'admin-targets-preview');
  await Promise.all([page.waitForURL(/notice=saved/), page.click('form.actions button:has-text("Xác nhận")')]);
  assert.match(await page.locator('p.notice').innerText(), /Đã lưu chỉ tiêu theo bảng/);

  // A sheet with a bad cell: the cell named, nothing stored.
  ws.getCell('E4').value = -7;
  const bad = Buffer.from(await wb.xlsx.writeBuffer());
  await page.setInputFiles('form.upload input[type=file]', { name: 'chi-tieu-loi.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: bad });
  await page.click('form.upload button[type=submit]');
  await page.waitForSelector('p.error[data-code=invalid_file]');
  const problems = await page.locator('table.problems tbody tr').allInnerTexts();
  assert.equal(problems.length, 1, problems.join('\n'));
  assert.match(problems[0], /^E4\s+/);
  await shotsResized(page, 'admin-targets-errors');

  // The sheet downloaded again carries the stored target.
  await page.goto(server.url + '/admin/targets');
  const again = await downloadWorkbook(page, 'a:has-text("Tải bảng Excel")', 'target-sheet-2.xlsx');
  assert.equal(Number(again.ws.getCell('C4').value), sessions + 5);
  assert.equal(again.ws.getCell('D5').value, null);
  await page.context().close();
});

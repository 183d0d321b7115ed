// Downloads opened with real libraries: the overview as Excel, the quick report as Word, and the
// visits export made by a background job.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import JSZip from 'jszip';
import { shot, num, achieved } from '../lib.mjs';
import { demoWithBrowser, closeAll, phoneShot, downloadFile, downloadWorkbook } from '../steps.mjs';

let server, browser, page;
before(async () => ({ server, browser, page } = await demoWithBrowser(7, 'tinhdoan')));
after(() => closeAll({ browser, server }));

const cellText = (c) => (c.value && typeof c.value === 'object' && 'richText' in c.value)
  ? c.value.richText.map((r) => r.text).join('') : (c.value ?? '').toString();

test('the overview as Excel has the page\'s headers and numbers', { timeout: 60_000 }, async () => {
  await page.goto(server.url + '/');
  const firstRow = page.locator('table.overview tbody tr').first();
  const unit = (await firstRow.locator('td a').innerText()).trim();
  const idx = await page.locator('div.indicator[data-indicator]').evaluateAll(
    (els) => els.findIndex((e) => e.dataset.indicator === 'households_visited'));
  const pageCount = achieved(await firstRow.locator('td').nth(1 + idx).locator('.count').innerText());
  const hvName = (await page.locator('div.indicator[data-indicator=households_visited] .name').innerText()).trim();

  const { download, ws } = await downloadWorkbook(page, 'p.exports a:has-text("Excel (.xlsx)")', 'overview.xlsx');
  assert.match(download.suggestedFilename(), /\.xlsx$/);
  assert.ok(ws, 'a worksheet');
  // Find the header row (a title row may come first).
  let header;
  ws.eachRow((row, n) => { if (!header && cellText(row.getCell(1)) === 'Đơn vị, đội') header = n; });
  assert.ok(header, 'a header row starting "Đơn vị, đội"');
  const headers = ws.getRow(header).values.slice(1).map((v) => String(v ?? ''));
  assert.deepEqual(headers.slice(0, 3), ['Đơn vị, đội', 'Loại', 'Số đội']);
  const col = headers.indexOf(`${hvName} – kết quả`);
  assert.ok(col >= 0, `a "${hvName} – kết quả" column in ${headers}`);
  assert.equal(headers[col + 1], `${hvName} – chỉ tiêu`);
  let found = false;
  ws.eachRow((row, n) => {
    if (n > header && cellText(row.getCell(1)) === unit) {
      found = true;
      assert.equal(Number(row.getCell(col + 1).value), pageCount, `${unit}: households visited in Excel = page`);
    }
  });
  assert.ok(found, `a row for ${unit}`);
  // The last row is the total and equals the card.
  const total = num(await page.locator('div.indicator[data-indicator=households_visited] .value').innerText());
  const last = ws.getRow(ws.actualRowCount);
  assert.match(cellText(last.getCell(1)), /\(tổng\)$/);
  assert.equal(Number(last.getCell(col + 1).value), total);
});

test('the quick report downloads as a Word file in the Youth Union\'s format, with the unit and the figures', { timeout: 60_000 }, async () => {
  await page.goto(server.url + '/');
  const households = (await page.locator('div.indicator[data-indicator=households_visited] .value').innerText()).trim();
  const people = (await page.locator('div.indicator[data-indicator=people_reached] .value').innerText()).trim();
  await page.goto(server.url + '/report');
  await shot(page, 'report-desktop');
  await phoneShot(browser, page, 'report-phone', server.url + '/report');

  await page.fill('input[name=place]', 'Vĩnh Long');
  const { download, file } = await downloadFile(page, 'form.stack button[type=submit]', 'report.docx');
  assert.match(download.suggestedFilename(), /\.docx$/);
  const zip = await JSZip.loadAsync(readFileSync(file));
  const xml = await zip.file('word/document.xml')?.async('string');
  assert.ok(xml, 'word/document.xml');
  // Text as Word shows it: the runs of each paragraph joined.
  const text = xml.split('</w:p>').map((p) => p.replace(/<[^>]+>/g, '')).join('\n')
    .replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>');
  // The Union's own document format (29-HD/TWĐTN-VP), not the State's.
  assert.match(text, /ĐOÀN TNCS HỒ CHÍ MINH/);
  assert.doesNotMatch(text, /CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM/);
  assert.match(text, /BCH ĐOÀN TỈNH VĨNH LONG/);
  assert.match(text, /^BÁO CÁO$/m);
  assert.match(text, /TM\. BAN THƯỜNG VỤ TỈNH ĐOÀN/);
  assert.match(text, /TỈNH ĐOÀN VĨNH LONG|Tỉnh Đoàn Vĩnh Long/);
  assert.match(text, /Vĩnh Long, ngày \d{1,2} tháng \d{1,2} năm 20\d\d/);
  assert.ok(text.includes(`đến ${households} hộ gia đình`), `households visited "${households}" in the report`);
  assert.ok(text.includes(`${people} lượt người được tiếp cận`), `people reached "${people}" (Vietnamese grouping) in the report`);
  if (num(people) >= 1000) assert.match(people, /^\d{1,3}(\.\d{3})+$/, 'thousands grouped with dots');
});

test('the visits export job finishes and its Excel file has one row per visit', { timeout: 90_000 }, async () => {
  await page.goto(server.url + '/visits');
  await shot(page, 'visits-desktop');
  const shown = num((await page.locator('p.muted', { hasText: 'lượt đến hộ' }).first().innerText()).split('lượt')[0]);
  assert.ok(shown > 0, 'the demo has visits');
  const form = page.locator('form[action="/exports/visits"]');
  await form.locator('select[name=format]').selectOption('xlsx');
  await Promise.all([page.waitForURL(/\/exports\/[^/]+$/), form.locator('button[type=submit]').click()]);
  const deadline = Date.now() + 60_000;
  while (await page.locator('[data-state=done]').count() === 0) {
    assert.equal(await page.locator('[data-state=failed]').count(), 0, 'the job failed');
    assert.ok(Date.now() < deadline, 'the export finishes within a minute');
    await page.waitForTimeout(500);
    await page.reload();
  }
  const doneText = await page.locator('[data-state=done]').innerText();
  assert.equal(num(doneText), shown, `"${doneText}" counts the visits shown on /visits`);
  await shot(page, 'export-done-desktop');
  const { download, ws } = await downloadWorkbook(page, 'a[href$="/file"]', 'visits.xlsx');
  assert.match(download.suggestedFilename(), /\.xlsx$/);
  let header;
  ws.eachRow((row, n) => { if (!header && cellText(row.getCell(1)) === 'Thời gian') header = n; });
  assert.ok(header, 'a header row starting "Thời gian"');
  assert.deepEqual(ws.getRow(header).values.slice(1, 4), ['Thời gian', 'Đội', 'Hộ']);
  let data = 0;
  ws.eachRow((row, n) => { if (n > header) data++; });
  assert.equal(data, shown, 'one spreadsheet row per visit');
});

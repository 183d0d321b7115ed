// Coverage on the demo province, used as a coordinator would: the communes table, the "not
// reached since" date changed (a day after the campaign counts every household, a day long before
// it only those never reached), a commune opened (hamlets with no visit first and marked, their
// households adding up to the commune's), a hamlet's households listed, and the CSV downloaded
// with the page's numbers. Screenshots at desktop and phone width land in output/screens/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { readFileSync, writeFileSync } from 'node:fs';
import { shot, num, gocuaAdmin, DOWNLOADS } from '../lib.mjs';
import { demoWithBrowser, closeAll, phoneTwin, assertNoSidewaysScroll, downloadFile } from '../steps.mjs';

let server, browser, page;
before(async () => ({ server, browser, page } = await demoWithBrowser(7, 'tinhdoan')));
after(() => closeAll({ browser, server }));

/** The communes table: name → [hamlets, visited, not visited, households, reached, share, not since]. */
async function communeRows(p) {
  const rows = {};
  for (const tr of await p.locator('div.coverage table tbody tr').all()) {
    const cells = (await tr.locator('td').allInnerTexts()).map((t) => t.trim());
    rows[cells[0]] = cells.slice(1);
  }
  return rows;
}

/** RFC 4180 rows: quoted fields may hold commas ("xã, phường") and doubled quotes. */
function csvRows(text) {
  const rows = [];
  let row = [], field = '', quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; } else if (c === '"') quoted = false; else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(field); field = ''; }
    else if (c === '\n') { row.push(field.replace(/\r$/, '')); rows.push(row); row = []; field = ''; }
    else field += c;
  }
  if (field !== '' || row.length) { row.push(field); rows.push(row); }
  return rows;
}

async function showSince(p, day) {
  await p.fill('input[name=since]', day);
  await Promise.all([p.waitForURL(/since=/), p.click('form.filters button[type=submit]')]);
}

test('coverage by commune, the date filter, a commune\'s hamlets and the CSV agree', { timeout: 120_000 }, async () => {
  await page.goto(server.url + '/coverage');
  // The demo reaches every hamlet it has: a coordinator adds one nobody has been to yet.
  const href = await page.locator('div.coverage table tbody tr td a').first().getAttribute('href');
  const commune = decodeURIComponent(href.match(/\/coverage\/commune\/([^?]+)/)[1]);
  const hamletFile = path.join(DOWNLOADS, 'new-hamlet.csv');
  writeFileSync(hamletFile, `code,name,division_type,commune_code\n${commune}-99,Khu phố Mới,khu phố,${commune}\n`);
  await gocuaAdmin(server.db, ['import-hamlets', hamletFile]);
  await page.goto(server.url + '/coverage');
  assert.equal(await page.locator('nav.main a.current').innerText(), 'Độ phủ');
  const rows = await communeRows(page);
  const names = Object.keys(rows).filter((n) => n !== 'Tổng cộng');
  assert.ok(names.some((n) => num(rows[n][2]) === 1), 'a commune with one hamlet not visited');
  assert.ok(names.length >= 2, `communes: ${names}`);
  const total = rows['Tổng cộng'];
  assert.ok(total, 'a total row');
  const households = num(total[3]);
  const reached = num(total[4]);
  assert.ok(households > 0 && reached > 0 && reached <= households, `${reached}/${households}`);
  assert.equal(names.reduce((s, n) => s + num(rows[n][3]), 0), households, 'communes add up to the total');
  await shot(page, 'coverage-desktop');

  // A day after any campaign: every household is "not reached since"; long before: the never reached.
  await showSince(page, '2099-01-01');
  let after = await communeRows(page);
  for (const n of names) assert.equal(num(after[n][6]), num(after[n][3]), `${n}: all not reached since 2099`);
  await showSince(page, '2000-01-01');
  after = await communeRows(page);
  for (const n of names) assert.equal(num(after[n][6]), num(after[n][3]) - num(after[n][4]), `${n}: never reached`);
  assert.match(await page.locator('div.coverage th').last().innerText(), /01\/01\/2000/);

  // The commune with the most hamlets not visited, else the first.
  const pick = names.reduce((best, n) => (num(rows[n][2]) > num(rows[best][2]) ? n : best), names[0]);
  await Promise.all([page.waitForURL(/\/coverage\/commune\//), page.click(`div.coverage table a:text-is("${pick}")`)]);
  assert.match(page.url(), /since=2000-01-01/, 'the date is kept');
  const hamletRows = page.locator('table.coverage-hamlets tbody tr');
  const n = await hamletRows.count();
  assert.ok(n >= 1, 'hamlet rows');
  const classes = await hamletRows.evaluateAll((trs) => trs.map((tr) => tr.className));
  const firstVisited = classes.findIndex((c) => c !== 'unvisited');
  if (firstVisited >= 0) assert.ok(classes.slice(firstVisited).every((c) => c !== 'unvisited'), `unvisited first: ${classes}`);
  const unvisited = classes.filter((c) => c === 'unvisited').length;
  assert.ok(unvisited >= 1, 'the new hamlet has no visit');
  assert.match(await hamletRows.first().innerText(), /Khu phố Mới\s+Chưa có lượt đến/);
  assert.equal(unvisited, num(rows[pick][2]), 'hamlets not visited as on the communes page');
  assert.equal(await page.locator('tr.unvisited .tag.unvisited').count(), unvisited);
  let sum = 0;
  for (const tr of await hamletRows.all()) sum += num(await tr.locator('td').nth(1).innerText());
  assert.equal(sum, num(after[pick][3]), 'hamlets add up to the commune');
  await shot(page, 'coverage-commune-desktop');

  // A hamlet's households, from its "not reached since" count.
  const link = page.locator('table.coverage-hamlets td a[href*="not_since="]').first();
  if (await link.count()) {
    const expected = num(await link.innerText());
    await Promise.all([page.waitForURL(/\/households\?/), link.click()]);
    assert.match(await page.locator('p.coverage-filter').innerText(), /chưa đến từ ngày 01\/01\/2000/);
    assert.equal(await page.locator('table tbody tr td a[href^="/households/"]').count(), Math.min(expected, 200));
    await shot(page, 'coverage-households-desktop');
  }

  // The CSV of the communes page: the page's numbers, both levels.
  await page.goto(server.url + '/coverage?since=2000-01-01');
  const { file } = await downloadFile(page, 'p.exports a:has-text("CSV")', 'coverage.csv');
  const lines = csvRows(readFileSync(file, 'utf8').replace(/^\uFEFF/, ''));
  assert.equal(lines[0][0], 'Cấp');
  const shown = await communeRows(page);
  for (const name of names) {
    const row = lines.find((l) => l[0] === 'xã, phường' && l[1] === name);
    assert.ok(row, `a CSV row for ${name}`);
    assert.deepEqual([row[3], row[4], row[5], row[6], row[7], row[9]].map(Number),
      [0, 1, 2, 3, 4, 6].map((i) => num(shown[name][i])), `${name}: CSV = page`);
  }
  assert.ok(lines.some((l) => l[0] === 'thôn, ấp'), 'hamlet rows');
});

test('coverage at phone width', { timeout: 60_000 }, async () => {
  const phone = await phoneTwin(browser, page, server.url + '/coverage');
  await shot(phone, 'coverage-phone');
  const first = phone.locator('div.coverage table tbody tr td a').first();
  await Promise.all([phone.waitForURL(/\/coverage\/commune\//), first.click()]);
  await shot(phone, 'coverage-commune-phone');
  await assertNoSidewaysScroll(phone, 'coverage-commune');
  await phone.context().close();
});

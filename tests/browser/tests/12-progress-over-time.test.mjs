// Progress over time: the overview of the demo province and a unit page each show a chart per
// indicator with a target — one point a day from the campaign's first day to today — and a notice
// at the top naming the indicators that will miss their target at the current pace, agreeing with
// the figures on the page. The charts ignore the period filter. Screenshots at desktop and phone
// width land in output/screens/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { readFileSync } from 'node:fs';
import JSZip from 'jszip';
import { signedIn, shot, num, achieved, PHONE, SCREENS } from '../lib.mjs';
import { demoWithBrowser, closeAll, downloadFile } from '../steps.mjs';

let server, browser;
before(async () => ({ server, browser } = await demoWithBrowser(7)));
after(() => closeAll({ browser, server }));

/** "01/03/2026" → a UTC date; "14/03" with the year of `ref`. */
function day(text, ref) {
  const [d, m, y] = text.split('/').map(Number);
  return Date.UTC(y ?? new Date(ref).getUTCFullYear(), m - 1, d);
}
const DAY_MS = 86_400_000;

/** What the page says, read as a person would see it. */
async function readPage(page) {
  const cards = {};
  for (const card of await page.locator('div.indicator[data-indicator]').all()) {
    const text = await card.innerText();
    cards[await card.getAttribute('data-indicator')] = {
      count: num(await card.locator('.value').innerText()),
      targeted: !text.includes('chưa giao chỉ tiêu'),
      text,
    };
  }
  const charts = {};
  for (const svg of await page.locator('section.pace-charts figure.chart svg.pace').all()) {
    const a = (n) => svg.getAttribute(n);
    const points = (await svg.locator('polyline.actual').getAttribute('points')).trim().split(/\s+/);
    const todayLabel = await svg.locator('text', { hasText: 'Hôm nay' }).textContent();
    charts[await a('data-indicator')] = {
      days: Number(await a('data-days')),
      campaignDays: Number(await a('data-campaign-days')),
      count: Number(await a('data-count')),
      target: Number(await a('data-target')),
      projection: Number(await a('data-projection')),
      verdict: await a('data-verdict'),
      points: points.length,
      label: await a('aria-label'),
      title: await svg.locator('title').textContent(),
      today: todayLabel.replace('Hôm nay', '').trim(),
    };
  }
  const note = await page.locator('section.pace-charts p.chart-note').innerText();
  const [, from, to] = note.match(/\((\d\d\/\d\d\/\d{4}) – (\d\d\/\d\d\/\d{4})\)/);
  const notice = page.locator('.pace-notice');
  const missing = {};
  for (const item of await notice.locator('[data-indicator]').all()) {
    const figures = await item.locator('.figures').innerText();
    const m = figures.match(/dự kiến ([0-9.]+)\/([0-9.]+) \(([0-9.,]+)%\)/);
    assert.ok(m, `figures "${figures}"`);
    missing[await item.getAttribute('data-indicator')] = { projection: num(m[1]), target: num(m[2]), percent: m[3] };
  }
  return { cards, charts, from, to, note, notice: await notice.innerText(), missingCount: Number(await notice.getAttribute('data-missing')), missing };
}

/** The checks every overview (the province's, a unit's) must pass; returns what it read. */
async function checkOverview(page) {
  const seen = await readPage(page);
  const targeted = Object.keys(seen.cards).filter((k) => seen.cards[k].targeted);
  assert.ok(targeted.length > 0, 'the demo sets targets');
  assert.deepEqual(Object.keys(seen.charts).sort(), targeted.sort(), 'a chart for each indicator with a target, and only those');

  const start = day(seen.from);
  const campaignDays = (day(seen.to) - start) / DAY_MS + 1;
  for (const [k, c] of Object.entries(seen.charts)) {
    // One point a day from the first day to today (the chart's own "today"), after the origin.
    const elapsed = (day(c.today, start) - start) / DAY_MS + 1;
    assert.equal(c.days, elapsed, `${k}: days from ${seen.from} to ${c.today}`);
    assert.equal(c.points, c.days + 1, `${k}: a point a day`);
    assert.equal(c.campaignDays, campaignDays, `${k}: the campaign's days`);
    // The chart counts what the card counts (the whole campaign, up to today).
    assert.equal(c.count, seen.cards[k].count, `${k}: chart and card agree`);
    assert.ok(seen.cards[k].text.includes(c.target.toLocaleString('de-DE')), `${k}: the card's target ${c.target}`);
    // The projection at the current pace, and its verdict.
    assert.equal(c.projection, Math.floor((c.count * c.campaignDays) / c.days), `${k}: projection`);
    const expected = c.count >= c.target ? 'reached' : c.projection < c.target ? 'will_miss' : 'on_pace';
    assert.equal(c.verdict, expected, `${k}: verdict`);
    assert.equal(c.title, c.label, 'the title says what the label says');
    assert.ok(c.label.includes(c.count.toLocaleString('de-DE')), `${k}: the words carry the count: ${c.label}`);
  }

  // The notice names exactly the indicators that will miss, with the chart's figures.
  const missing = Object.keys(seen.charts).filter((k) => seen.charts[k].verdict === 'will_miss');
  assert.equal(seen.missingCount, missing.length);
  if (missing.length === 0) {
    assert.match(seen.notice, /Với tốc độ hiện nay, mọi chỉ tiêu đã giao đều đạt/);
  } else {
    assert.match(seen.notice, /^Với tốc độ hiện nay, (chỉ tiêu|các chỉ tiêu)/);
    assert.deepEqual(Object.keys(seen.missing).sort(), missing.sort());
    for (const k of missing) {
      const c = seen.charts[k];
      assert.equal(seen.missing[k].projection, c.projection, `${k}: projection in the notice`);
      assert.equal(seen.missing[k].target, c.target, `${k}: target in the notice`);
      assert.ok(seen.missing[k].projection < seen.missing[k].target);
      const share = Math.round((c.projection * 1000) / c.target) / 10;
      assert.equal(Number(seen.missing[k].percent.replace(',', '.')), share, `${k}: share`);
    }
  }
  assert.match(seen.note, /Biểu đồ luôn tính cả kế hoạch/);
  return seen;
}

for (const [label, viewport] of [['desktop', undefined], ['phone', PHONE]]) {
  test(`progress over time on the overview and a unit page (${label})`, { timeout: 90_000 }, async () => {
    const page = await signedIn(browser, server, 'tinhdoan', viewport);
    const province = await checkOverview(page);
    // The notice is at the top, above the filters and the cards.
    const noticeBox = await page.locator('.pace-notice').boundingBox();
    const filtersBox = await page.locator('form.filters').boundingBox();
    assert.ok(noticeBox.y < filtersBox.y, 'the notice comes first');
    // Charts fit the page: nothing wider than the viewport.
    const width = viewport?.width ?? 1280;
    for (const box of await Promise.all((await page.locator('figure.chart svg').all()).map((s) => s.boundingBox()))) {
      assert.ok(box.x >= 0 && box.x + box.width <= width, `a chart inside the page: ${JSON.stringify(box)}`);
      assert.ok(box.width >= 300 && box.width <= 600, `a chart between 300 and 600 px wide: ${box.width}`);
    }
    await shot(page, `pace-overview-${label}`);
    await page.locator('section.pace-charts').screenshot({ path: path.join(SCREENS, `pace-charts-${label}.png`) });
    await page.locator('.pace-notice').screenshot({ path: path.join(SCREENS, `pace-notice-${label}.png`) });
    await page.locator('figure.chart').first().screenshot({ path: path.join(SCREENS, `pace-chart-first-${label}.png`) });

    // A peak window changes the cards, not the charts.
    const peak = await page.locator('select[name=period] option[value=peak0]').count();
    if (peak) {
      await page.selectOption('select[name=period]', 'peak0');
      await Promise.all([page.waitForURL(/period=peak0/), page.click('form.filters button[type=submit]')]);
      const again = await readPage(page);
      for (const [k, c] of Object.entries(again.charts)) assert.equal(c.count, province.charts[k].count, `${k}: the chart is the whole campaign's`);
      await page.goto(server.url + '/');
    }

    // A unit page (a commune union) shows its own charts.
    const unitLink = page.locator('table.overview a[href*="unit="]').first();
    const unitName = (await unitLink.innerText()).trim();
    await Promise.all([page.waitForURL(/unit=/), unitLink.click()]);
    assert.equal((await page.locator('p.crumbs strong').innerText()).trim(), unitName);
    const unit = await checkOverview(page);
    for (const [k, c] of Object.entries(unit.charts)) {
      assert.ok(c.count <= province.charts[k].count, `${k}: a unit's count within the province's`);
      assert.ok(c.target < province.charts[k].target, `${k}: a unit's own target`);
    }
    await shot(page, `pace-unit-${label}`);
    await page.context().close();
  });
}

test('the charts speak English after the language switch', { timeout: 60_000 }, async () => {
  const page = await signedIn(browser, server, 'tinhdoan');
  await page.goto(server.url + '/lang/en');
  await page.goto(server.url + '/');
  assert.match(await page.locator('section.pace-charts h2').innerText(), /Progress over time/);
  const label = await page.locator('svg.pace').first().getAttribute('aria-label');
  assert.match(label, / of a target of [0-9,]+ /);
  assert.match(await page.locator('.pace-notice').innerText(), /^At the current pace/);
  assert.ok(achieved(await page.locator('div.indicator .value').first().innerText()) >= 0);
  await page.context().close();
});

test('the quick report carries the charts as a picture with the figures as alt text', { timeout: 60_000 }, async () => {
  const page = await signedIn(browser, server, 'tinhdoan');
  const seen = await readPage(page);
  await page.goto(server.url + '/report');
  await page.fill('input[name=place]', 'Vĩnh Long');
  const { file } = await downloadFile(page, 'form.stack button[type=submit]', 'report-with-chart.docx');
  const zip = await JSZip.loadAsync(readFileSync(file));
  const png = await zip.file('word/media/chart1.png')?.async('uint8array');
  assert.ok(png && png.length > 10_000, 'the picture is in the package');
  assert.deepEqual([...png.slice(1, 4)].map((c) => String.fromCharCode(c)).join(''), 'PNG');
  const xml = await zip.file('word/document.xml').async('string');
  assert.match(xml, /<wp:inline [^>]*><wp:extent cx="5939790" cy="\d+"\/>/, 'as wide as the text');
  const alt = xml.match(/<wp:docPr id="1" name="[^"]*" descr="([^"]*)"/)[1];
  // The main indicators' figures, as the overview's charts have them.
  for (const k of ['households_visited', 'services_supported', 'vneid_activations', 'hamlets_covered']) {
    const c = seen.charts[k];
    assert.ok(alt.includes(`${c.count.toLocaleString('de-DE')} trên chỉ tiêu ${c.target.toLocaleString('de-DE')}`), `${k} in the alt text: ${alt}`);
  }
  assert.match(xml, /Tiến độ theo thời gian \(cả kế hoạch, từ ngày \d\d\/\d\d\/\d{4} đến ngày/);
  await page.context().close();
});

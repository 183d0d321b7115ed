// Drilling down: province → commune union → team, with breadcrumbs and the hamlet table.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { signedIn, shot, num, PHONE } from '../lib.mjs';
import { demoWithBrowser, closeAll } from '../steps.mjs';

let server, browser;
before(async () => ({ server, browser } = await demoWithBrowser(7)));
after(() => closeAll({ browser, server }));

for (const [label, viewport] of [['desktop', undefined], ['phone', PHONE]]) {
  test(`province → commune union → team (${label})`, { timeout: 60_000 }, async () => {
    const page = await signedIn(browser, server, 'tinhdoan', viewport);
    const province = (await page.locator('p.crumbs strong').innerText()).trim();
    assert.equal(province, 'Tỉnh Đoàn Vĩnh Long');

    const unitLink = page.locator('table.overview a[href*="unit="]').first();
    const unitName = (await unitLink.innerText()).trim();
    await Promise.all([page.waitForURL(/unit=/), unitLink.click()]);
    assert.equal((await page.locator('p.crumbs strong').innerText()).trim(), unitName);
    assert.equal((await page.locator('p.crumbs a').first().innerText()).trim(), province, 'crumbs lead back to the province');
    assert.match(await page.locator('h1').innerText(), new RegExp(`Tiến độ – ${unitName}`));
    await shot(page, `drilldown-unit-${label}`);

    const teamLink = page.locator('table.overview a[href^="/teams/"]').first();
    const teamName = (await teamLink.innerText()).trim();
    await Promise.all([page.waitForURL(/\/teams\//), teamLink.click()]);
    const crumbs = page.locator('p.crumbs');
    assert.deepEqual((await crumbs.locator('a').allInnerTexts()).map((s) => s.trim()), [province, unitName]);
    assert.equal((await crumbs.locator('strong').innerText()).trim(), teamName);
    assert.equal(await page.locator('div.indicator[data-indicator]').count(), 8);

    const hamletTable = page.locator('h2:has-text("Theo thôn, ấp") + div.tablewrap table');
    const rows = hamletTable.locator('tbody tr');
    assert.ok(await rows.count() >= 1, 'the team has hamlet rows');
    assert.equal(await hamletTable.locator('td.empty').count(), 0, 'not the empty state');
    const firstCells = await rows.first().locator('td').allInnerTexts();
    assert.ok(firstCells[0].trim().length > 0, 'a hamlet name');
    assert.ok(firstCells.slice(1).some((c) => num(c) > 0), `some counts in ${firstCells}`);
    await shot(page, `team-${label}`);

    // The breadcrumb link goes back up.
    await Promise.all([page.waitForURL((u) => u.pathname === '/'), crumbs.locator('a').first().click()]);
    assert.equal((await page.locator('p.crumbs strong').innerText()).trim(), province);
    await page.context().close();
  });
}

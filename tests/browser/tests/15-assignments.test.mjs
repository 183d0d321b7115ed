// Walk lists in the browser (/assignments, "Phân công"): the demo's commune coordinator opens the
// page from the navigation, gives a member a hamlet and another a household, sees what is left,
// gets a refusal with its code for a form choosing both, revokes one, and finds the changes in the
// audit log. Screenshots at desktop and phone width.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { shot } from '../lib.mjs';
import { demoWithBrowser, closeAll, shotsAtBothWidths, shotsResized } from '../steps.mjs';

let server, browser, page;
before(async () => ({ server, browser, page } = await demoWithBrowser(7, 'xadoan')));
after(() => closeAll({ browser, server }));

const rows = () => page.locator('table.walk-list tbody tr');

/** Picks the option at `index` (0 is "— none —") of a select of the assign form. */
async function pick(name, index) {
  const select = page.locator(`form.walk-assign select[name=${name}]`);
  const value = await select.locator('option').nth(index).getAttribute('value');
  await select.selectOption(value);
  return (await select.locator('option').nth(index).innerText()).trim();
}

test('a commune coordinator assigns and revokes walk lists', { timeout: 180_000 }, async () => {
  await page.goto(server.url + '/');
  await Promise.all([page.waitForURL(/\/assignments/), page.click('nav a:has-text("Phân công")')]);
  assert.equal(await page.locator('h1').innerText(), 'Phân công địa bàn, hộ');
  assert.match(await page.locator('main').innerText(), /Đợt đang diễn ra/);
  const before = await rows().count();

  // A hamlet to the first member.
  const member = await pick('member', 1);
  const hamlet = await pick('hamlet', 1);
  await Promise.all([page.waitForURL(/done=assigned/), page.click('form.walk-assign button[type=submit]')]);
  assert.match(await page.locator('p.notice').innerText(), /Đã phân công/);
  assert.equal(await rows().count(), before + 1);
  const hamletName = hamlet.replace(/\s*\(.*\)$/, '');
  const hamletRow = rows().filter({ hasText: hamletName }).filter({ hasText: member });
  assert.equal(await hamletRow.count(), 1);
  assert.match(await hamletRow.innerText(), /còn \d+\/\d+ hộ|đã đến hết \d+ hộ|chưa ghi hộ nào/);

  // A household to the second member.
  const second = await pick('member', 2);
  await pick('household', 1);
  await Promise.all([page.waitForURL(/done=assigned/), page.click('form.walk-assign button[type=submit]')]);
  assert.equal(await rows().count(), before + 2);
  assert.match(await rows().filter({ hasText: second }).last().innerText(), /đã đến|chưa đến/);
  await shotsAtBothWidths(browser, page, 'assignments');

  // Both a hamlet and a household: refused with its code, nothing stored.
  await pick('member', 1);
  await pick('hamlet', 1);
  await pick('household', 1);
  await page.click('form.walk-assign button[type=submit]');
  await page.waitForSelector('p.error[data-code=invalid_input]');
  assert.match(await page.locator('p.error').innerText(), /không chọn cả hai/);
  assert.notEqual(await page.locator('form.walk-assign select[name=member]').inputValue(), '', 'the choices are kept');
  assert.equal(await rows().count(), before + 2);
  // The refusal is the answer to a POST: the same page shot again at phone width.
  await shotsResized(page, 'assignments-refused', 'window');

  // Revoked: the row goes.
  await Promise.all([page.waitForURL(/done=revoked/), hamletRow.locator('button:has-text("Thu hồi")').click()]);
  assert.match(await page.locator('p.notice').innerText(), /Đã thu hồi phân công/);
  assert.equal(await rows().count(), before + 1);

  // The audit log has each change.
  await page.goto(server.url + '/audit');
  const log = await page.locator('main').innerText();
  assert.match(log, /Phân công/);
  assert.match(log, /Thu hồi phân công/);
});

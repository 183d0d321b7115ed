// Shared helpers of the dashboard's browser tests: a real `gocua demo` server on a free port with a
// throwaway database, Debian's headless Chromium, signing in, screenshots and downloads.
import { spawn, execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
export const OUTPUT = path.join(here, 'output');
export const SCREENS = path.join(OUTPUT, 'screens');
export const DOWNLOADS = path.join(OUTPUT, 'downloads');
mkdirSync(SCREENS, { recursive: true });
mkdirSync(DOWNLOADS, { recursive: true });

export const GOCUA_BIN = process.env.GOCUA_BIN || path.join(here, '..', '..', 'target', 'debug', 'gocua');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
export const DESKTOP = { width: 1280, height: 900 };
export const PHONE = { width: 390, height: 844 };

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** Starts `gocua demo` and resolves once it serves; the accounts it printed are in `accounts`. */
async function startOnce(seed) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gocua-browser-'));
  const db = path.join(dir, 'demo.db');
  const port = await freePort();
  const child = spawn(GOCUA_BIN, ['demo', '--listen', `127.0.0.1:${port}`, '--db', db, '--seed', String(seed)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stdout.on('data', (d) => { out += d; });
  child.stderr.on('data', (d) => { out += d; });
  const ready = await new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), 90_000);
    const poll = setInterval(() => {
      if (out.includes('Đang phục vụ tại')) { clearInterval(poll); clearTimeout(timer); resolve(true); }
    }, 50);
    child.on('exit', () => { clearInterval(poll); clearTimeout(timer); resolve(false); });
    child.on('error', (e) => { out += String(e); clearInterval(poll); clearTimeout(timer); resolve(false); });
  });
  if (!ready) {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    return { error: out };
  }
  const accounts = {};
  for (const m of out.matchAll(/sign in: (\S+) \/ (\S+)/g)) accounts[m[1]] = m[2];
  return {
    url: `http://127.0.0.1:${port}`,
    db,
    accounts,
    log: () => out,
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await new Promise((r) => { const t = setTimeout(() => { child.kill('SIGKILL'); r(); }, 5000); child.on('exit', () => { clearTimeout(t); r(); }); });
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function startDemo(seed = 7) {
  let last = '';
  for (let attempt = 0; attempt < 3; attempt++) {
    const s = await startOnce(seed);
    if (!s.error) return s;
    last = s.error;
  }
  throw new Error(`gocua demo did not start:\n${last}`);
}

/** Runs `gocua admin ...` against the demo's database (the demo keeps serving meanwhile). */
export async function gocuaAdmin(db, args, env = {}) {
  const { stdout } = await promisify(execFile)(GOCUA_BIN, ['admin', ...args, '--db', db], {
    env: { ...process.env, ...env },
    timeout: 30_000,
  });
  return stdout;
}

/** A UUIDv7, as a phone makes its ids. */
export function uuidv7() {
  const b = randomBytes(16);
  b.writeUIntBE(Date.now(), 0, 6);
  b[6] = (b[6] & 0x0f) | 0x70;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/**
 * A new phone of team `teamId`, as a coordinator and a volunteer would set it up: a new member
 * (`gocua admin add-member`), a one-time code (`gocua admin enrol-code`), enrolment and a first
 * pull over the real phone API. `push(changes)` uploads records and returns the server's verdicts.
 */
export async function enrolPhone(server, teamId, name = 'Mai Văn Kiểm') {
  const member = (await gocuaAdmin(server.db, ['add-member', '--team', teamId, '--name', name])).trim().split('\n').pop().trim();
  const issued = await gocuaAdmin(server.db, ['enrol-code', '--team', teamId, '--member', member]);
  const code = issued.match(/^([A-Z2-9]{4}-[A-Z2-9]{4})$/m)?.[1];
  if (!code) throw new Error(`no enrolment code in:\n${issued}`);
  const deviceId = uuidv7();
  const call = async (path, body, token) => {
    const resp = await fetch(server.url + path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ protocol_version: 1, device_id: deviceId, ...body }),
    });
    const text = await resp.text();
    if (!resp.ok) throw new Error(`${path} answered ${resp.status}: ${text}`);
    return JSON.parse(text);
  };
  const enrolled = await call('/v1/devices/enrol', { code, device_label: 'Browser test phone', app_version: 'browser-tests' });
  const { reference } = await call('/v1/sync/pull', {}, enrolled.device_token);
  const team = reference.teams.find((t) => t.id === enrolled.team_id);
  return {
    ...enrolled,
    team,
    node: parseInt(deviceId.replace(/-/g, '').slice(-8), 16).toString(16),
    push: (changes) => call('/v1/sync/push', { changes }, enrolled.device_token),
  };
}

/**
 * Makes sure team `teamId` has an open data-check flag, whatever the demo's random field work
 * holds: a new phone of the team uploads the same household twice under two ids (a household
 * created on two phones at once), which the server flags as a probable duplicate. Returns the two
 * household ids; the flag's row on /flags links to both.
 */
export async function raiseDuplicateFlag(server, teamId) {
  const phone = await enrolPhone(server, teamId);
  const now = new Date();
  const stamp = `${now.getTime()}-0-${phone.node}`;
  const household = (id) => ({
    kind: 'household',
    record: {
      id,
      commune_code: phone.team.area_codes[0],
      address_line: 'Số 14, hẻm 3, đường Nguyễn Đình Chiểu',
      head_name: 'Nguyễn Văn Trùng',
      members: 3,
      erased: false,
      created_by: phone.volunteer_id,
      team_id: phone.team_id,
      created: { utc: now.toISOString(), offset_minutes: 420 },
      clocks: Object.fromEntries(['location', 'address_line', 'head_name', 'phone', 'members', 'consent', 'erased'].map((k) => [k, stamp])),
    },
  });
  const ids = [uuidv7(), uuidv7()];
  const { results } = await phone.push(ids.map(household));
  for (const r of results) if (r.status !== 'accepted') throw new Error(`the household was not accepted: ${JSON.stringify(r)}`);
  return ids;
}

/** The id of the first team listed under the first unit of the signed-in user's overview. */
export async function firstTeamId(page, server) {
  await page.goto(server.url + '/');
  const unit = await page.locator('table.overview a[href*="unit="]').first().getAttribute('href');
  await page.goto(server.url + unit);
  const team = await page.locator('table.overview a[href^="/teams/"]').first().getAttribute('href');
  return team.match(/\/teams\/([^?]+)/)[1];
}

export async function launch() {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
    timeout: 30_000,
  });
}

/** A new context (own cookies) signed in as `user`; returns its page. */
export async function signedIn(browser, server, user, viewport = DESKTOP, password = server.accounts[user]) {
  const context = await browser.newContext({ viewport, acceptDownloads: true, locale: 'vi-VN' });
  context.setDefaultTimeout(15_000);
  context.setDefaultNavigationTimeout(20_000);
  const page = await context.newPage();
  await page.goto(server.url + '/login');
  await page.fill('input[name=username]', user);
  await page.fill('input[name=password]', password);
  await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/login')), page.click('button[type=submit]')]);
  return page;
}

export async function shot(page, name) {
  await page.screenshot({ path: path.join(SCREENS, `${name}.png`), fullPage: true });
}

/** Parses a number as the dashboard writes it in Vietnamese ("1.234") or English ("1,234"). */
export function num(text) {
  const digits = String(text).replace(/[^0-9]/g, '');
  if (digits === '') throw new Error(`no number in "${text}"`);
  return Number(digits);
}

/** The achieved count of a progress cell or card: "227 / 330" → 227, "49 · chưa giao chỉ tiêu" → 49. */
export function achieved(text) {
  const m = String(text).match(/[0-9][0-9.,]*/);
  if (!m) throw new Error(`no count in "${text}"`);
  return num(m[0]);
}

/** The page's own CSRF token (every signed-in page has the sign-out form). */
export async function csrf(page) {
  return page.locator('form.logout input[name=csrf]').inputValue();
}

export const GOCUA_PHONE_BIN = process.env.GOCUA_PHONE_BIN || path.join(here, '..', '..', 'target', 'debug', 'gocua-phone');

/**
 * Starts `gocua serve` on a new, empty SQLite database, as a new province would on its first day,
 * and resolves once it answers. `setupLink` is the one-time first-run link it printed.
 */
export async function startEmptyServer() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gocua-browser-empty-'));
  const db = path.join(dir, 'gocua.db');
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(GOCUA_BIN, ['serve', '--db', db, '--listen', `127.0.0.1:${port}`], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, GOCUA_PUBLIC_URL: '' }, // the link on this listener, whatever the shell says
  });
  let out = '';
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stdout.on('data', (d) => { out += d; });
  child.stderr.on('data', (d) => { out += d; });
  const stop = async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((r) => { const t = setTimeout(() => { child.kill('SIGKILL'); r(); }, 5000); child.on('exit', () => { clearTimeout(t); r(); }); });
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break;
    const link = out.match(/https?:\/\/\S+\/setup\/\S+/)?.[0];
    if (link) {
      try {
        const resp = await fetch(url + '/login');
        if (resp.ok) return { url, db, setupLink: link, log: () => out, stop };
      } catch { /* not listening yet */ }
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  await stop();
  throw new Error(`gocua serve did not start on an empty database or printed no set-up link:\n${out}`);
}

/** A simulated phone (`gocua-phone`): enrols with `code`, records a field day, syncs. */
export async function runPhone(server, code, households = 6) {
  const { stdout } = await promisify(execFile)(GOCUA_PHONE_BIN, ['--server', server.url, '--code', code, '--households', String(households)], {
    timeout: 120_000,
  });
  return JSON.parse(stdout.trim().split('\n').pop());
}

// Shared helpers of the dashboard's browser tests: a real `gocua demo` server on a free port with a
// throwaway database, Debian's headless Chromium, signing in, screenshots and downloads.
import { spawn, execFile } from 'node:child_process';
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

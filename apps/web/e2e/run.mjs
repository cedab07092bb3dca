// Browser end-to-end test of the admin SPA: Debian chromium driven by playwright-core against a real
// keypool process and the mock upstream, both on 127.0.0.1. Usage: node e2e/run.mjs
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { browserBackendEnv } from './backend-env.mjs';

const CHROMIUM = '/usr/bin/chromium';
const here = dirname(fileURLToPath(import.meta.url));
const webDir = resolve(here, '..');
const repoRoot = resolve(webDir, '..', '..');
const apiMain = join(repoRoot, 'apps', 'api', 'dist', 'main.js');
const mockDist = join(repoRoot, 'packages', 'mock-upstream', 'dist', 'index.js');
const shotsDir = join(repoRoot, 'artifacts', 'screenshots');
const PASSWORD = 'e2e-admin-password';
const MASTER_KEY = 'e2e-master-key';
const SECRETS = ['sk-e2e-alpha-1111', 'sk-e2e-bravo-2222', 'sk-e2e-charlie-3333'];

if (!existsSync(CHROMIUM)) {
  console.log(
    `SKIPPED: ${CHROMIUM} is not installed (apt-get install chromium), so the browser e2e cannot run.`,
  );
  process.exit(0);
}
for (const [file, hint] of [
  [apiMain, 'build the API first: cd apps/api && npx tsc -p tsconfig.build.json'],
  [mockDist, 'build the mock first: cd packages/mock-upstream && npx tsc -p tsconfig.json'],
]) {
  if (!existsSync(file)) {
    console.error(`e2e: ${file} is missing; ${hint}`);
    process.exit(1);
  }
}
/** Newest modification time under the given paths (files or folders). */
function newestMtime(paths) {
  let newest = 0;
  for (const path of paths) {
    if (!existsSync(path)) {
      continue;
    }
    const stat = statSync(path);
    if (stat.isDirectory()) {
      newest = Math.max(newest, newestMtime(readdirSync(path).map((name) => join(path, name))));
    } else {
      newest = Math.max(newest, stat.mtimeMs);
    }
  }
  return newest;
}

// Rebuild when the SPA's sources (or the shared contract) changed since the last build: a stale dist
// would test yesterday's SPA.
const builtIndex = join(webDir, 'dist', 'index.html');
const sources = ['src', 'index.html', 'vite.config.ts', 'public'].map((p) => join(webDir, p));
sources.push(join(repoRoot, 'packages', 'shared', 'src'));
if (!existsSync(builtIndex) || newestMtime(sources) > statSync(builtIndex).mtimeMs) {
  console.log('e2e: building the SPA (vite build)');
  const built = spawnSync('npx', ['vite', 'build'], { cwd: webDir, stdio: 'inherit' });
  if (built.status !== 0) {
    process.exit(built.status ?? 1);
  }
}

const { chromium } = await import('playwright-core');
const { startMockUpstream } = await import(mockDist);

const problems = [];
const warnings = new Set();
const cleanups = [];
let step = 'start';
const log = (message) => console.log(`e2e: ${message}`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function startKeypool(dataDir, backendEnv) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [apiMain], {
      cwd: join(repoRoot, 'apps', 'api'),
      env: {
        ...process.env,
        PORT: '0',
        HOST: '127.0.0.1',
        DATA_DIR: dataDir,
        ADMIN_PASSWORD: PASSWORD,
        MASTER_API_KEY: MASTER_KEY,
        LOG_LEVEL: 'warn',
        NODE_ENV: 'test',
        ...backendEnv,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const timer = setTimeout(() => reject(new Error(`keypool did not start in 30 s:\n${output}`)), 30_000);
    const onData = (chunk) => {
      output += chunk.toString();
      const match = /keypool listening on (http:\/\/[^\s]+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolvePromise({ url: match[1].replace(/\/$/, ''), child, output: () => output });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`keypool exited with ${code}:\n${output}`));
    });
  });
}

/** Collects console errors and uncaught page errors of every page in a context. */
function watch(context, label) {
  context.on('page', (page) => attach(page, label));
  for (const page of context.pages()) {
    attach(page, label);
  }
}
function attach(page, label) {
  page.on('console', (msg) => {
    if (msg.type() === 'error') {
      problems.push(`[${label}] console error on ${page.url()}: ${msg.text()}`);
    } else if (msg.type() === 'warning') {
      warnings.add(msg.text().slice(0, 200));
    }
  });
  page.on('pageerror', (error) => problems.push(`[${label}] page error on ${page.url()}: ${error.message}`));
}

async function expectVisible(locator, what, timeout = 10_000) {
  try {
    await locator.first().waitFor({ state: 'visible', timeout });
  } catch {
    throw new Error(`${what} did not appear`);
  }
}

async function waitUntil(check, what, timeoutMs = 20_000, intervalMs = 500) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}`);
    }
    await sleep(intervalMs);
  }
}

async function nav(page, label) {
  // Auto-waits while a closing dialog still hides the rest of the page from the accessibility tree.
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('link', { name: label, exact: true })
    .click();
  await expectVisible(page.getByRole('heading', { level: 1, name: label }), `${label} page`);
}

async function selectOption(page, label, option) {
  await page.getByRole('combobox', { name: label }).click();
  await page.getByRole('option', { name: option, exact: true }).click();
}

async function requestsTile(page) {
  const text = await page.getByTestId('stat-Requests').innerText();
  return Number(text.replace(/[^\d]/g, '')) || 0;
}

async function chat(url, n) {
  const statuses = [];
  for (let i = 0; i < n; i++) {
    const res = await fetch(`${url}/v1/chat/completions`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${MASTER_KEY}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: `hello ${i}` }] }),
    });
    await res.arrayBuffer();
    statuses.push(res.status);
  }
  return statuses;
}

const PAGES = [
  { name: 'login', path: '/ui/login', heading: 'Sign in to keypool', auth: false },
  { name: 'dashboard', path: '/ui/', heading: 'Dashboard', auth: true },
  { name: 'keys', path: '/ui/keys', heading: 'Keys', auth: true },
  { name: 'upstreams', path: '/ui/upstreams', heading: 'Upstreams', auth: true },
  { name: 'client-keys', path: '/ui/client-keys', heading: 'Client keys', auth: true },
  { name: 'logs', path: '/ui/logs', heading: 'Logs', auth: true },
  { name: 'stats', path: '/ui/stats', heading: 'Stats', auth: true },
  { name: 'settings', path: '/ui/settings', heading: 'Settings', auth: true },
];
const VIEWPORTS = [
  { name: 'desktop', width: 1280, height: 800 },
  { name: 'phone', width: 390, height: 844 },
];

async function screenshots(browser, url, token) {
  mkdirSync(shotsDir, { recursive: true });
  let count = 0;
  for (const theme of ['light', 'dark']) {
    for (const vp of VIEWPORTS) {
      const context = await browser.newContext({
        viewport: { width: vp.width, height: vp.height },
        colorScheme: theme,
        deviceScaleFactor: 1,
      });
      watch(context, `screenshots ${theme} ${vp.name}`);
      const page = await context.newPage();
      for (const spec of PAGES) {
        // Each page starts signed in (or out) without going through the form again.
        await page.goto(`${url}/ui/login`);
        await page.evaluate(
          (t) => (t ? localStorage.setItem('keypool.accessToken', t) : localStorage.clear()),
          spec.auth ? token : null,
        );
        await page.goto(`${url}${spec.path}`);
        await expectVisible(
          page.getByRole('heading', { level: 1, name: spec.heading }),
          `${spec.name} heading`,
        );
        await waitUntil(
          async () => (await page.locator('.MuiSkeleton-root').count()) === 0,
          `${spec.name} to finish loading`,
          10_000,
          250,
        ).catch(() => undefined);
        await sleep(600); // chart entry animations
        // A full-page capture keeps fixed parts (app bar, nav drawer) at their first-screen size, so the
        // drawer would end mid-page: grow the viewport to the page first, then put it back.
        const pageHeight = await page.evaluate(() => document.documentElement.scrollHeight);
        if (pageHeight > vp.height) {
          await page.setViewportSize({ width: vp.width, height: pageHeight });
          await sleep(200);
        }
        await page.screenshot({
          path: join(shotsDir, `${spec.name}-${theme}-${vp.width}.png`),
          fullPage: true,
        });
        await page.setViewportSize({ width: vp.width, height: vp.height });
        count++;
      }
      await context.close();
    }
  }
  return count;
}

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), 'keypool-web-e2e-'));
  cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
  const mock = await startMockUpstream({ port: 0, host: '127.0.0.1' });
  cleanups.push(() => mock.close());
  const backend = await browserBackendEnv();
  cleanups.push(() => backend.dispose());
  const keypool = await startKeypool(dataDir, backend.env);
  cleanups.push(() => keypool.child.kill('SIGTERM'));
  log(`keypool on ${backend.label} at ${keypool.url}, mock at ${mock.url}`);

  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  cleanups.push(() => browser.close());

  // 1. Cold first load: a fresh context has an empty cache. Three runs, judged by the median, because
  // the machine is shared and one slow run says more about the neighbours than about the SPA.
  step = 'cold load';
  const loads = [];
  for (let run = 0; run < 3; run++) {
    const coldContext = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    watch(coldContext, 'cold');
    const cold = await coldContext.newPage();
    await cold.goto(`${keypool.url}/ui/`, { waitUntil: 'load' });
    await expectVisible(cold.getByRole('heading', { name: 'Sign in to keypool' }), 'login form');
    loads.push(
      await cold.evaluate(() => {
        const nav = performance.getEntriesByType('navigation')[0];
        const paint = performance.getEntriesByName('first-contentful-paint')[0];
        const resources = performance.getEntriesByType('resource');
        return {
          domContentLoadedMs: Math.round(nav.domContentLoadedEventEnd),
          loadMs: Math.round(nav.loadEventEnd),
          firstContentfulPaintMs: paint ? Math.round(paint.startTime) : null,
          // Upper bound for the paint when the browser reported none: the form was visible by now.
          formVisibleByMs: Math.round(performance.now()),
          transferredKb: Math.round(
            resources.reduce((sum, r) => sum + (r.transferSize || 0), nav.transferSize || 0) / 1024,
          ),
          requests: resources.length + 1,
        };
      }),
    );
    await coldContext.close();
  }
  // The page counts as loaded when both the load event fired and the login form was painted.
  const firstPageMs = (l) => Math.max(l.loadMs, l.firstContentfulPaintMs ?? l.formVisibleByMs);
  const median = [...loads].sort((a, b) => firstPageMs(a) - firstPageMs(b))[1];
  log(`cold first load (3 runs): ${loads.map((l) => JSON.stringify(l)).join(' ')}`);
  log(
    `cold first load median: ${firstPageMs(median)} ms (load event ${median.loadMs} ms, first paint ${median.firstContentfulPaintMs} ms, ${median.transferredKb} KB)`,
  );
  if (firstPageMs(median) >= 1000) {
    problems.push(`cold first load took ${firstPageMs(median)} ms (median of 3; limit 1000 ms)`);
  }

  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
  watch(context, 'flow');
  const page = await context.newPage();

  // 2. Log in, redirected back to the page asked for.
  step = 'login';
  await page.goto(`${keypool.url}/ui/keys`);
  await expectVisible(page.getByRole('heading', { name: 'Sign in to keypool' }), 'login redirect');
  if (!page.url().includes('next=%2Fkeys')) {
    throw new Error(`login did not remember the page: ${page.url()}`);
  }
  await page.getByLabel('Admin password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expectVisible(page.getByRole('heading', { level: 1, name: 'Keys' }), 'keys page after login');
  const token = await page.evaluate(() => localStorage.getItem('keypool.accessToken'));
  const api = async (method, path, body) => {
    const res = await fetch(`${keypool.url}/api${path}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    return res.status === 204 ? null : res.json();
  };

  // 3. Add an upstream from a preset, pointed at the mock.
  step = 'add upstream';
  await nav(page, 'Upstreams');
  await page.getByRole('button', { name: 'Add upstream' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add an upstream' });
  await dialog.getByRole('button', { name: 'OpenAI', exact: true }).click();
  const baseUrl = dialog.getByLabel('Base URL');
  if ((await baseUrl.inputValue()) !== 'https://api.openai.com/v1') {
    throw new Error(`the OpenAI preset filled ${await baseUrl.inputValue()}`);
  }
  await baseUrl.fill(`${mock.url}/v1`);
  await dialog.getByLabel('Name').fill('mock-openai');
  await dialog.getByRole('button', { name: 'Add upstream' }).click();
  await expectVisible(page.getByRole('heading', { name: 'mock-openai' }), 'upstream card');

  // 4. Paste three keys.
  step = 'paste keys';
  await nav(page, 'Keys');
  await page.getByRole('button', { name: 'Paste many' }).first().click();
  const bulk = page.getByRole('dialog', { name: 'Paste many keys' });
  await bulk.getByLabel('Keys, one per line').fill(SECRETS.join('\n'));
  await bulk.getByRole('button', { name: 'Add keys' }).click();
  await expectVisible(bulk.getByText('Added 3 keys'), 'bulk add result');
  await bulk.getByRole('button', { name: 'Done' }).click();
  await waitUntil(async () => (await page.locator('.MuiDataGrid-row').count()) === 3, 'three key rows');
  const keys = await api('GET', '/keys');
  const keyBySecret = (secret) => keys.find((k) => k.maskedSecret.endsWith(secret.slice(-4)));

  // 5. Traffic, with rate limits from the mock, while the dashboard watches.
  step = 'traffic';
  await nav(page, 'Dashboard');
  await expectVisible(page.getByTestId('stat-Requests'), 'requests tile');
  await waitUntil(
    async () => !(await page.getByTestId('stat-Requests').locator('.MuiSkeleton-root').count()),
    'dashboard tiles',
  );
  const before = await requestsTile(page);
  // One key rate-limited for a moment: traffic fails over and still succeeds.
  mock.setBehavior(SECRETS[2], { mode: 'rate_limit', retryAfterSeconds: 2 });
  const okStatuses = await chat(keypool.url, 9);
  await sleep(2500); // that key's cooldown ends
  // Every key rate-limited: the request runs out of keys and the client gets the 429.
  for (const secret of SECRETS) {
    mock.setBehavior(secret, { mode: 'rate_limit', retryAfterSeconds: 1 });
  }
  const limitedStatuses = await chat(keypool.url, 2);
  for (const secret of SECRETS) {
    mock.setBehavior(secret, null);
  }
  log(`traffic statuses: ${okStatuses.join(',')} then ${limitedStatuses.join(',')}`);
  const after = await waitUntil(async () => {
    const value = await requestsTile(page);
    return value >= before + 11 ? value : null;
  }, 'the dashboard request counter to move');
  log(`dashboard requests: ${before} -> ${after}`);

  // 6. Logs filtered to 429, with the detail drawer.
  step = 'logs';
  await nav(page, 'Logs');
  await selectOption(page, 'Status', 'Rate limited (429)');
  const rows = page.getByRole('table', { name: 'Request logs' }).locator('tbody tr');
  await waitUntil(async () => {
    const n = await rows.count();
    if (n === 0) {
      return false;
    }
    const statuses = await rows.locator('td:nth-child(2)').allInnerTexts();
    return statuses.every((t) => t.trim() === '429') ? n : false;
  }, 'log rows with status 429');
  await rows.first().click();
  const drawer = page.getByRole('region', { name: 'Request detail' });
  await expectVisible(drawer.getByRole('list', { name: 'Attempts' }), 'attempts timeline');
  await drawer.getByRole('button', { name: 'Close detail' }).click();

  // 7. Disable a key.
  step = 'disable key';
  await nav(page, 'Keys');
  const target = keyBySecret(SECRETS[1]);
  const toggleName = `Disable ${target.name || target.maskedSecret}`;
  await page.getByLabel(toggleName).click();
  await waitUntil(
    async () => (await api('GET', `/keys/${target.id}`)).enabled === false,
    'the key to be disabled',
  );

  // 8. Change the strategy.
  step = 'strategy';
  await nav(page, 'Settings');
  await selectOption(page, 'Strategy', 'Least recently used');
  await expectVisible(page.getByText('1 unsaved change'), 'unsaved-changes bar');
  // The floating save bar as the admin sees it (viewport only, light desktop).
  mkdirSync(shotsDir, { recursive: true });
  await sleep(500); // the menu's exit and the buttons' colour transitions
  await page.screenshot({ path: join(shotsDir, 'settings-unsaved-light-1280.png') });
  await page.getByRole('button', { name: 'Save changes' }).click();
  const confirm = page.getByRole('dialog', { name: 'Apply these settings?' });
  await expectVisible(confirm.getByText('Least recently used'), 'change summary');
  await confirm.getByRole('button', { name: 'Save' }).click();
  await waitUntil(
    async () => (await api('GET', '/settings')).strategy === 'least-recently-used',
    'the new strategy',
  );

  // 9. Export, delete a key, re-import: the deleted key comes back, the others are skipped.
  step = 'export/import';
  await nav(page, 'Keys');
  const downloadPromise = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export' }).click();
  const download = await downloadPromise;
  const exportPath = join(dataDir, download.suggestedFilename());
  await download.saveAs(exportPath);
  const exported = JSON.parse(readFileSync(exportPath, 'utf8'));
  const exportedSecrets = exported.upstreams.flatMap((u) => u.keys.map((k) => k.plaintextSecret)).sort();
  if (JSON.stringify(exportedSecrets) !== JSON.stringify([...SECRETS].sort())) {
    throw new Error(`export holds ${exportedSecrets.length} unexpected secrets`);
  }
  const victim = keyBySecret(SECRETS[0]);
  await page.getByRole('button', { name: `Delete ${victim.name || victim.maskedSecret}` }).click();
  await page
    .getByRole('dialog', { name: 'Delete this key?' })
    .getByRole('button', { name: 'Delete' })
    .click();
  await waitUntil(async () => (await page.locator('.MuiDataGrid-row').count()) === 2, 'two key rows');
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  const importDialog = page.getByRole('dialog', { name: 'Import keys' });
  await importDialog.getByLabel('Import file').setInputFiles(exportPath);
  await importDialog.getByRole('button', { name: 'Import', exact: true }).click();
  const result = await importDialog.getByTestId('import-result').innerText();
  if (!/Added 1, skipped 2/.test(result)) {
    throw new Error(`import result was "${result}"`);
  }
  await importDialog.getByRole('button', { name: 'Done' }).click();
  await waitUntil(async () => (await page.locator('.MuiDataGrid-row').count()) === 3, 'three key rows again');

  // 10. A client key: its secret is shown once, then only masked.
  step = 'client key';
  await nav(page, 'Client keys');
  await page.getByRole('button', { name: 'New client key' }).click();
  const clientDialog = page.getByRole('dialog', { name: 'New client key' });
  await clientDialog.getByLabel('Name').fill('e2e-app');
  await clientDialog.getByLabel('Requests / minute').fill('60');
  await clientDialog.getByRole('button', { name: 'Create key' }).click();
  const secretDialog = page.getByRole('dialog', { name: 'Client key e2e-app created' });
  const clientSecret = (await secretDialog.locator('pre').innerText()).trim();
  await secretDialog.getByRole('button', { name: 'I have copied it' }).click();
  await expectVisible(
    page.getByRole('table', { name: 'Client keys' }).getByText('e2e-app'),
    'client key row',
  );
  if ((await page.getByRole('table', { name: 'Client keys' }).innerText()).includes(clientSecret)) {
    throw new Error('the client key secret is still shown after creation');
  }
  const viaClient = await fetch(`${keypool.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${clientSecret}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'from a client key' }],
    }),
  });
  if (viaClient.status !== 200) {
    throw new Error(`a request with the new client key got ${viaClient.status}`);
  }

  // 11. Screenshots of every page in both themes and widths.
  step = 'screenshots';
  // One key resting for two minutes, so the pictures show a cooldown countdown.
  mock.setBehavior(SECRETS[2], { mode: 'rate_limit', retryAfterSeconds: 120 });
  const seenBefore = mock.requests(SECRETS[2]).length;
  for (
    let i = 0;
    i < 6 &&
    !mock
      .requests(SECRETS[2])
      .slice(seenBefore)
      .some((r) => r.status === 429);
    i++
  ) {
    await chat(keypool.url, 1);
  }
  mock.setBehavior(SECRETS[2], null);
  const shots = await screenshots(browser, keypool.url, token);
  log(`${shots} screenshots in ${shotsDir}`);

  // 12. Log out.
  step = 'logout';
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expectVisible(page.getByRole('heading', { name: 'Sign in to keypool' }), 'login page after sign-out');
  if (await page.evaluate(() => localStorage.getItem('keypool.accessToken'))) {
    throw new Error('the token survived sign-out');
  }
}

let failed = false;
try {
  await main();
} catch (error) {
  failed = true;
  console.error(`e2e: FAILED at step "${step}": ${error instanceof Error ? error.message : String(error)}`);
}
for (const cleanup of cleanups.reverse()) {
  await Promise.resolve()
    .then(cleanup)
    .catch(() => undefined);
}
if (warnings.size > 0) {
  console.log(`e2e: ${warnings.size} distinct console warning(s):\n  ${[...warnings].join('\n  ')}`);
}
if (problems.length > 0) {
  failed = true;
  console.error(`e2e: ${problems.length} problem(s):\n  ${problems.join('\n  ')}`);
}
console.log(failed ? 'e2e: FAILED' : 'e2e: PASSED');
// The whole browser flow counts as one test in the suite's tally.
console.log(failed ? 'browser: 0 passed, 1 failed' : 'browser: 1 passed, 0 failed');
process.exit(failed ? 1 : 0);

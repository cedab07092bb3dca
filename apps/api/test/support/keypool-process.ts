import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { backendEnv } from './backend-env';

/** The built server, resolved from this file so tests work whatever the cwd. */
export const KEYPOOL_MAIN = resolve(__dirname, '..', '..', 'dist', 'main.js');

/** Stops a keypool child whose test process died without stopping it. */
const PARENT_WATCHDOG = resolve(__dirname, 'parent-watchdog.js');

export const TEST_ADMIN_PASSWORD = 'test-admin-password';

/** keypool settings from the environment that must not leak from the developer's shell into a test. */
const INHERITED_KEYPOOL_VARS = [
  'PORT',
  'HOST',
  'ADMIN_PASSWORD',
  'REQUIRE_ADMIN_LOGIN',
  'MASTER_API_KEY',
  'JWT_SECRET',
  'ENCRYPTION_KEY',
  'DATABASE_URL',
  'REDIS_URL',
  'DATA_DIR',
  'LOG_LEVEL',
  'UPSTREAM_URL',
  'UPSTREAM_FORMAT',
  'UPSTREAM_KEYS',
];

export interface StartKeypoolOptions {
  /** Extra environment; a value of `undefined` removes the variable (e.g. `{ ADMIN_PASSWORD: undefined }`). */
  env?: Record<string, string | undefined>;
  /** Reuse a data directory (default: a fresh temp dir, removed when the test process exits). */
  dataDir?: string;
  /** How long to wait for the "listening" line (ms). Default 30 000. */
  readyTimeoutMs?: number;
}

export interface KeypoolProcess {
  /** `http://127.0.0.1:PORT` (no trailing slash). Stays the same across `restart()`. */
  url: string;
  port: number;
  dataDir: string;
  /** The environment the process runs with (after defaults, backend env and overrides). */
  env: Readonly<Record<string, string | undefined>>;
  /** Everything the process wrote to stdout and stderr so far (all runs, across restarts). */
  output(): string;
  /** Sends `signal` and resolves with the exit code (null when killed by a signal). SIGKILL after 10 s. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  /** Stops the process and starts it again with the same DATA_DIR, env and port. */
  restart(): Promise<void>;
}

const running = new Set<ChildProcess>();
const ownedDirs = new Set<string>();
let exitHookInstalled = false;

/** Never leave a keypool behind, even when a test run is interrupted. */
function installExitHook(): void {
  if (exitHookInstalled) {
    return;
  }
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const child of running) {
      child.kill('SIGKILL');
    }
    for (const dir of ownedDirs) {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

/**
 * Starts `node apps/api/dist/main.js` on 127.0.0.1 with a free port and waits until it listens.
 * Defaults: ADMIN_PASSWORD=test-admin-password, LOG_LEVEL=warn, a temp DATA_DIR, plus the test backend's
 * env (`backendEnv`), then `options.env`.
 */
export async function startKeypool(options: StartKeypoolOptions = {}): Promise<KeypoolProcess> {
  installExitHook();
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'keypool-e2e-'));
  if (!options.dataDir) {
    ownedDirs.add(dataDir);
  }
  const env: Record<string, string | undefined> = { ...process.env };
  for (const name of INHERITED_KEYPOOL_VARS) {
    delete env[name];
  }
  Object.assign(
    env,
    {
      NODE_ENV: 'test',
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      ADMIN_PASSWORD: TEST_ADMIN_PASSWORD,
      LOG_LEVEL: 'warn',
    },
    await backendEnv(randomUUID()),
    options.env,
  );
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) {
      delete env[name];
    }
  }
  const readyTimeoutMs = options.readyTimeoutMs ?? 30_000;
  let output = '';
  let child: ChildProcess;

  const launch = async (): Promise<string> => {
    const started = await spawnUntilListening(env, readyTimeoutMs, (text) => (output += text));
    child = started.child;
    return started.url;
  };

  const stop = async (signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> => {
    if (child.exitCode !== null || child.signalCode !== null) {
      return child.exitCode;
    }
    const exited = new Promise<number | null>((resolveExit) =>
      child.once('exit', (code) => resolveExit(code)),
    );
    child.kill(signal);
    const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    const code = await exited;
    clearTimeout(killer);
    return code;
  };

  const url = await launch();
  const handle: KeypoolProcess = {
    url,
    port: Number(new URL(url).port),
    dataDir,
    env,
    output: () => output,
    stop,
    restart: async () => {
      await stop();
      // Same port, so clients built on `url` keep working.
      env.PORT = String(handle.port);
      await launch();
    },
  };
  return handle;
}

function spawnUntilListening(
  env: Record<string, string | undefined>,
  timeoutMs: number,
  capture: (text: string) => void,
): Promise<{ child: ChildProcess; url: string }> {
  return new Promise((resolveStart, reject) => {
    const child = spawn(process.execPath, ['--require', PARENT_WATCHDOG, KEYPOOL_MAIN], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    running.add(child);
    let seen = '';
    let settled = false;
    const fail = (reason: string) => {
      if (!settled) {
        settled = true;
        clearTimeout(timer);
        child.kill('SIGKILL');
        reject(new Error(`keypool did not start: ${reason}\n--- output ---\n${seen}`));
      }
    };
    const timer = setTimeout(() => fail(`no "keypool listening on" line within ${timeoutMs} ms`), timeoutMs);
    const onData = (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      seen += text;
      capture(text);
      const match = /keypool listening on (http:\/\/\S+)/.exec(seen);
      if (match && !settled) {
        settled = true;
        clearTimeout(timer);
        resolveStart({ child, url: match[1].replace(/\/$/, '') });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('error', (error) => fail(error.message));
    child.once('exit', (code, signal) => {
      running.delete(child);
      fail(`exited with ${code ?? signal} before listening (is it built? ${KEYPOOL_MAIN})`);
    });
  });
}

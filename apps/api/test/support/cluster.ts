import type { HealthResponse } from '@keypool/shared';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { connect, createServer, type Server, type Socket } from 'node:net';
import type OpenAI from 'openai';
import { adminClient, httpJson, type AdminClient } from './admin-client';
import { backendEnv } from './backend-env';
import { startKeypool, type KeypoolProcess } from './keypool-process';
import { openaiClient } from './sdk-clients';
import { TEST_MASTER_KEY } from './setup-pool';
import { freePort } from './free-port';
import { waitFor } from './wait-for';

/** One keypool replica with a logged-in admin client and an OpenAI client using the master key. */
export interface Replica {
  process: KeypoolProcess;
  admin: AdminClient;
  openai: OpenAI;
}

/**
 * Starts `count` keypool processes on their own ports that share one database and Redis (`group`),
 * all at the same time (so they also race for the migrations).
 */
export async function startReplicas(
  count: number,
  group: string,
  options: { redisUrl?: string; env?: Record<string, string> } = {},
): Promise<Replica[]> {
  const shared = await backendEnv(group, { shareWith: group, redisUrl: options.redisUrl });
  const env = { ...shared, MASTER_API_KEY: TEST_MASTER_KEY, ...options.env };
  const processes = await Promise.all(Array.from({ length: count }, () => startKeypool({ env })));
  return Promise.all(
    processes.map(async (process) => {
      const admin = adminClient(process.url);
      await admin.login();
      return { process, admin, openai: openaiClient(process.url, TEST_MASTER_KEY) };
    }),
  );
}

export async function health(url: string): Promise<HealthResponse> {
  return (await httpJson<HealthResponse>('GET', `${url}/health`)).body;
}

/** True when a `redis-server` binary is available to start a private Redis. */
export function hasRedisServer(): boolean {
  return spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
}

/**
 * A private Redis without persistence, for tests that stop and start it (the shared Redis serves other
 * suites and must never be shut down). `stop()` kills it; `start()` brings it back on the same port.
 */
export interface ThrowawayRedis {
  url: string;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export async function throwawayRedis(): Promise<ThrowawayRedis> {
  const port = await freePort();
  let child: ChildProcess | null = null;
  const handle: ThrowawayRedis = {
    url: `redis://127.0.0.1:${port}`,
    async start() {
      child = spawn('redis-server', ['--port', String(port), '--save', '', '--appendonly', 'no'], {
        stdio: 'ignore',
      });
      const started = child;
      process.once('exit', () => started.kill('SIGKILL'));
      await waitFor(
        () =>
          spawnSync('redis-cli', ['-p', String(port), 'ping'])
            .stdout?.toString()
            .includes('PONG'),
        5000,
      );
    },
    async stop() {
      const running = child;
      child = null;
      if (running && running.exitCode === null) {
        const exited = new Promise((resolve) => running.once('exit', resolve));
        running.kill('SIGKILL');
        await exited;
      }
    },
  };
  await handle.start();
  return handle;
}

/** Waits until `replica` answers a chat completion for `model` (it learns other replicas' changes over Redis). */
export async function untilServes(replica: Replica, model: string, timeoutMs = 5000): Promise<void> {
  let lastError: unknown = null;
  try {
    await waitFor(
      () =>
        replica.openai.chat.completions.create({ model, messages: [{ role: 'user', content: 'ping' }] }).then(
          () => true,
          (error: unknown) => {
            lastError = error;
            return false;
          },
        ),
      timeoutMs,
      100,
    );
  } catch {
    throw new Error(
      `${replica.process.url} did not serve ${model} within ${timeoutMs} ms: ${String(lastError)}`,
    );
  }
}

/**
 * A TCP relay in front of a service (e.g. Postgres) that a test can cut and restore, to simulate the
 * service becoming unreachable without touching the shared server itself.
 */
export interface TcpRelay {
  port: number;
  /** Refuses new connections and drops the open ones. */
  cut(): Promise<void>;
  /** Accepts connections again, on the same port. */
  restore(): Promise<void>;
  close(): Promise<void>;
}

export async function tcpRelay(targetPort: number, targetHost = '127.0.0.1'): Promise<TcpRelay> {
  const port = await freePort();
  const sockets = new Set<Socket>();
  let server: Server | null = null;
  const listen = () =>
    new Promise<void>((resolveListen, reject) => {
      const s = createServer((client) => {
        const upstream = connect(targetPort, targetHost);
        for (const socket of [client, upstream]) {
          sockets.add(socket);
          socket.on('close', () => sockets.delete(socket));
          socket.on('error', () => undefined);
        }
        client.pipe(upstream).pipe(client);
        client.on('close', () => upstream.destroy());
        upstream.on('close', () => client.destroy());
      });
      s.once('error', reject);
      s.listen(port, '127.0.0.1', () => resolveListen());
      server = s;
    });
  const cut = async () => {
    const s = server;
    server = null;
    for (const socket of sockets) {
      socket.destroy();
    }
    if (s) {
      await new Promise((resolveClose) => s.close(resolveClose));
    }
  };
  await listen();
  return { port, cut, restore: listen, close: cut };
}

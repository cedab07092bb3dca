import {
  Agent,
  createServer,
  request,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { closeHttpServer } from './close-http-server';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

interface Answer {
  status: number;
  connection: string | undefined;
}

async function listen(handler: Handler): Promise<{ server: Server; port: number }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

function get(port: number, agent: Agent, path = '/'): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe(closeHttpServer.name, () => {
  const agent = new Agent({ keepAlive: true, maxSockets: 4 });
  let server: Server | null = null;

  afterEach(() => {
    server?.closeAllConnections();
    server?.close();
    server = null;
  });

  it('should let an in-flight request finish, then close its keep-alive connection', async () => {
    let release = () => undefined as void;
    const { server: s, port } = await listen((req, res) => {
      if (req.url === '/slow') {
        release = () => res.end('late');
        return;
      }
      res.end('ok');
    });
    server = s;
    expect((await get(port, agent)).connection).toBe('keep-alive');
    const slow = get(port, agent, '/slow');
    await new Promise((resolve) => setTimeout(resolve, 50));
    const closing = closeHttpServer(s, 5000);
    release();
    expect((await slow).status).toBe(200);
    await expect(closing).resolves.toMatchObject({ forcedConnections: 0 });
    expect(s.listening).toBe(false);
  });

  it('should answer a request that arrives on an open connection after the close began with Connection: close', async () => {
    const { server: s, port } = await listen((_req, res) => res.end('ok'));
    server = s;
    const socket = connect(port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    let response = '';
    socket.on('data', (chunk: Buffer) => (response += chunk.toString('latin1')));
    const ended = new Promise((resolve) => socket.once('close', resolve));
    // Half a request keeps the connection busy (not idle) while the close begins.
    socket.write('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    await new Promise((resolve) => setTimeout(resolve, 50));
    const closing = closeHttpServer(s, 5000);
    socket.write('Connection: keep-alive\r\n\r\n');
    await ended;
    expect(response).toMatch(/^HTTP\/1\.1 200/);
    expect(response.toLowerCase()).toContain('connection: close');
    await expect(closing).resolves.toMatchObject({ forcedConnections: 0 });
  });

  it('should close connections that are idle when the close begins', async () => {
    const { server: s, port } = await listen((_req, res) => res.end('ok'));
    server = s;
    await Promise.all([get(port, agent), get(port, agent), get(port, agent)]);
    await expect(closeHttpServer(s, 5000)).resolves.toMatchObject({ forcedConnections: 0 });
    await expect(get(port, agent)).rejects.toThrow();
  });

  it('should cut a request still running when the grace period ends', async () => {
    const { server: s, port } = await listen(() => undefined);
    server = s;
    const hanging = get(port, agent).catch((error: unknown) => error);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await expect(closeHttpServer(s, 100)).resolves.toMatchObject({ forcedConnections: 1 });
    expect(await hanging).toBeInstanceOf(Error);
  });
});

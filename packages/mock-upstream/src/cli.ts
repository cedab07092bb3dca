#!/usr/bin/env node
import { startMockUpstream } from './server';

/** `node dist/cli.js [--port N] [--host H] [--no-record]`: runs the mock until interrupted. */
async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const valueOf = (flag: string) => {
    const index = args.indexOf(flag);
    return index === -1 ? undefined : args[index + 1];
  };
  if (args.includes('--help')) {
    process.stdout.write('usage: mock-upstream [--port N] [--host 127.0.0.1] [--no-record]\n');
    return;
  }
  const mock = await startMockUpstream({
    port: Number(valueOf('--port') ?? 0),
    host: valueOf('--host') ?? '127.0.0.1',
    record: !args.includes('--no-record'),
  });
  process.stdout.write(`mock upstream listening on ${mock.url}\n`);
  const stop = () => {
    void mock.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

void main();

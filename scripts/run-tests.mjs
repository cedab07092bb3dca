#!/usr/bin/env node
// Runs every test suite of the workspace in order and prints one closing tally.
// Postgres/Redis runs happen only when E2E_DATABASE_URL / E2E_REDIS_URL are set (CI sets them).
import { spawn } from 'node:child_process';

const pnpm = ['npx', '-y', 'pnpm@10.34.9'];

const steps = [
  { name: 'unit: mock-upstream', args: ['--filter', '@keypool/mock-upstream', 'test:unit'] },
  { name: 'unit: api', args: ['--filter', '@keypool/api', 'test:unit'] },
  { name: 'unit: web', args: ['--filter', '@keypool/web', 'test:unit'] },
  {
    name: 'e2e: api on SQLite',
    args: ['--filter', '@keypool/api', 'test:e2e'],
    env: { E2E_DATABASE_URL: '', E2E_REDIS_URL: '' },
  },
];
steps.push({
  name: 'e2e: browser on SQLite',
  args: ['--filter', '@keypool/web', 'test:e2e'],
  env: { E2E_DATABASE_URL: '', E2E_REDIS_URL: '' },
});
if (process.env.E2E_DATABASE_URL || process.env.E2E_REDIS_URL) {
  steps.push({ name: 'e2e: api on Postgres + Redis', args: ['--filter', '@keypool/api', 'test:e2e'] });
  steps.push({ name: 'e2e: browser on Postgres + Redis', args: ['--filter', '@keypool/web', 'test:e2e'] });
} else {
  console.log('note: E2E_DATABASE_URL / E2E_REDIS_URL not set: the Postgres + Redis e2e runs are skipped');
}

const only = process.argv.slice(2);
const totals = { passed: 0, failed: 0, skipped: 0 };
const failures = [];

for (const step of steps) {
  if (only.length > 0 && !only.some((o) => step.name.includes(o))) {
    continue;
  }
  console.log(`\n=== ${step.name} ===`);
  const { code, output } = await run(step);
  const counts = tally(output);
  totals.passed += counts.passed;
  totals.failed += counts.failed;
  totals.skipped += counts.skipped;
  if (code !== 0) {
    failures.push(step.name);
    if (counts.failed === 0) {
      totals.failed += 1;
    }
  }
}

console.log(`\n${failures.length ? `failed steps: ${failures.join(', ')}` : 'all steps passed'}`);
console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(failures.length ? 1 : 0);

function run(step) {
  return new Promise((resolve) => {
    const child = spawn(pnpm[0], [...pnpm.slice(1), ...step.args], {
      env: { ...process.env, ...step.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const forward = (stream, target) =>
      stream.on('data', (chunk) => {
        output += chunk;
        target.write(chunk);
      });
    forward(child.stdout, process.stdout);
    forward(child.stderr, process.stderr);
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}

// Reads vitest's "Tests  3 passed | 1 skipped" lines and the browser runner's own "N passed, N failed" line.
function tally(output) {
  const counts = { passed: 0, failed: 0, skipped: 0 };
  const clean = output.replace(/\x1b\[[0-9;]*m/g, '');
  for (const line of clean.split('\n')) {
    const vitest = /^\s*Tests\s+(.*)$/.exec(line);
    const plain = /^(?:\w+:\s*)?(\d+) passed, (\d+) failed(?:, (\d+) skipped)?\s*$/.exec(line.trim());
    if (vitest) {
      for (const [, n, kind] of vitest[1].matchAll(/(\d+) (passed|failed|skipped|todo)/g)) {
        if (kind in counts) {
          counts[kind] += Number(n);
        }
      }
    } else if (plain) {
      counts.passed += Number(plain[1]);
      counts.failed += Number(plain[2]);
      counts.skipped += Number(plain[3] ?? 0);
    }
  }
  return counts;
}

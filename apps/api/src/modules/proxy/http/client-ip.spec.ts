import { describe, expect, it } from 'vitest';
import { clientIpFrom } from './client-ip';

describe(clientIpFrom.name, () => {
  it.each([
    ['1.1.1.1, 10.0.0.2', '10.0.0.1', false, '10.0.0.1'],
    ['1.1.1.1, 10.0.0.2', '10.0.0.1', true, '1.1.1.1'],
    ['1.1.1.1, 10.0.0.2', '10.0.0.1', 1, '10.0.0.2'],
    ['1.1.1.1, 10.0.0.2', '10.0.0.1', 2, '1.1.1.1'],
    ['1.1.1.1, 10.0.0.2', '10.0.0.1', ['10.0.0.1', '10.0.0.2'], '1.1.1.1'],
    ['6.6.6.6, 1.1.1.1', '10.0.0.1', ['10.0.0.1'], '1.1.1.1'],
    [undefined, '10.0.0.1', true, '10.0.0.1'],
  ] as const)('should read %s via %s with trust %j as %s', (xff, remote, trust, expected) => {
    expect(clientIpFrom(xff, remote, trust as boolean | number | string[])).toBe(expected);
  });
});

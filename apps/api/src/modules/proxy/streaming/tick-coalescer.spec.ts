import { describe, expect, it } from 'vitest';
import { TickCoalescer } from './tick-coalescer';

describe(TickCoalescer.name, () => {
  const nextTick = () => new Promise<void>((resolve) => process.nextTick(resolve));

  it('should write the pieces of one tick once, in order, when the tick ends', async () => {
    const writes: string[] = [];
    const out = new TickCoalescer((chunk) => writes.push(chunk.toString()));
    const upstream = Buffer.from('data: 1\n\ndata: 2\n\n');
    out.bytes(upstream, 0, 9);
    out.text(': note\n\n');
    out.bytes(upstream, 9, upstream.length);
    expect(writes).toEqual([]);
    await nextTick();
    expect(writes).toEqual(['data: 1\n\n: note\n\ndata: 2\n\n']);
    out.text('data: 3\n\n');
    await nextTick();
    expect(writes).toHaveLength(2);
  });

  it('should hand back a single whole buffer as it is, and nothing once taken or discarded', async () => {
    const writes: Buffer[] = [];
    const out = new TickCoalescer((chunk) => writes.push(chunk));
    const chunk = Buffer.from('data: 1\n\n');
    out.bytes(chunk, 0, chunk.length);
    expect(out.take()).toBe(chunk);
    out.bytes(chunk, 0, 4);
    out.discard();
    out.bytes(chunk, 3, 3);
    out.text('');
    await nextTick();
    expect(out.take()).toBeNull();
    expect(writes).toEqual([]);
  });
});

import type { Dispatcher } from 'undici';
import { describe, expect, it } from 'vitest';
import { AttemptAbortedError, CappedBodyReader, UpstreamCall, type UpstreamBodySink } from './upstream-call';

/** Records what a sink receives, in order. */
function recordingSink(): UpstreamBodySink & { seen: string[] } {
  const seen: string[] = [];
  return {
    seen,
    onUpstreamData: (chunk) => seen.push(`data:${chunk.toString()}`),
    onUpstreamEnd: () => seen.push('end'),
    onUpstreamError: (error) => seen.push(`error:${error.message}`),
  };
}

function fakeController(): Dispatcher.DispatchController & { abortedWith: Error | null } {
  const controller = {
    abortedWith: null as Error | null,
    paused: false,
    reason: null,
    abort(reason: Error) {
      controller.abortedWith = reason;
    },
    pause() {
      controller.paused = true;
    },
    resume() {
      controller.paused = false;
    },
  };
  return controller as unknown as Dispatcher.DispatchController & { abortedWith: Error | null };
}

/** A call whose upstream has answered 200 with no headers yet, and its controller. */
function answeringCall(): { call: UpstreamCall; c: ReturnType<typeof fakeController> } {
  const call = new UpstreamCall();
  const c = fakeController();
  call.onRequestStart(c);
  call.onResponseStart(c, 200, {});
  return { call, c };
}

describe(UpstreamCall.name, () => {
  it('should resolve the head with status and headers, skipping informational responses', async () => {
    const call = new UpstreamCall();
    const c = fakeController();
    call.onRequestStart(c);
    call.onResponseStart(c, 100, {});
    call.onResponseStart(c, 200, { 'content-type': 'application/json' });
    await call.head;
    expect([call.status, call.headers['content-type']]).toEqual([200, 'application/json']);
  });

  it('should replay chunks and the end that arrived before the sink was attached', async () => {
    const { call, c } = answeringCall();
    call.onResponseData(c, Buffer.from('a'));
    call.onResponseData(c, Buffer.from('b'));
    call.onResponseEnd();
    await call.head;
    const sink = recordingSink();
    call.attach(sink);
    expect(sink.seen).toEqual(['data:a', 'data:b', 'end']);
  });

  it('should hand live chunks to the sink after the held ones, and let go of it at the end', async () => {
    const { call, c } = answeringCall();
    call.onResponseData(c, Buffer.from('a'));
    await call.head;
    const sink = recordingSink();
    call.attach(sink);
    call.onResponseData(c, Buffer.from('live'));
    call.onResponseEnd();
    call.onResponseData(c, Buffer.from('stray'));
    expect(sink.seen).toEqual(['data:a', 'data:live', 'end']);
  });

  it('should reject the head with an error that comes before the status', async () => {
    const call = new UpstreamCall();
    call.onResponseError(undefined, new Error('connect refused'));
    await expect(call.head).rejects.toThrow('connect refused');
  });

  it('should pass a mid-body error to the sink', async () => {
    const { call, c } = answeringCall();
    await call.head;
    const sink = recordingSink();
    call.attach(sink);
    call.onResponseData(c, Buffer.from('x'));
    call.onResponseError(c, new Error('socket hang up'));
    expect(sink.seen).toEqual(['data:x', 'error:socket hang up']);
  });

  it('should apply an abort requested before the request started, once it starts', () => {
    const call = new UpstreamCall();
    call.abort(new AttemptAbortedError('client_cancel'));
    const c = fakeController();
    call.onRequestStart(c);
    expect((c.abortedWith as AttemptAbortedError).kind).toBe('client_cancel');
  });

  it('should not abort a response that already ended', async () => {
    const { call, c } = answeringCall();
    call.onResponseEnd();
    await call.head;
    call.abort(new AttemptAbortedError('timeout'));
    expect(c.abortedWith).toBeNull();
  });
});

describe(CappedBodyReader.name, () => {
  it('should keep the first bytes up to the limit and drop the rest', async () => {
    const reader = new CappedBodyReader(5);
    reader.onUpstreamData(Buffer.from('abc'));
    reader.onUpstreamData(Buffer.from('defgh'));
    reader.onUpstreamData(Buffer.from('ij'));
    reader.onUpstreamEnd();
    expect((await reader.body).toString()).toBe('abcde');
  });

  it('should reject when the body fails', async () => {
    const reader = new CappedBodyReader(5);
    reader.onUpstreamError(new Error('reset'));
    await expect(reader.body).rejects.toThrow('reset');
  });
});

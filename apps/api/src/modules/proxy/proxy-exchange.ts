import { OutcomeClass, type AttemptRecord, type TokenUsage } from '@keypool/shared';
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import {
  NoKeyAvailableError,
  NoKeysConfiguredError,
  RetryBudgetExhaustedError,
  UnknownModelError,
  type ClassifiedOutcome,
  type KeyLease,
  type OutcomeInput,
} from '../balancer/balancer.types';
import type { RequestOutcome } from '../logs/request-outcome';
import { dialectErrorBody, dialectStreamError, type ProxyFailure } from '../../common/errors/dialect-error';
import {
  clientCredential,
  clientResponseHeaders,
  flattenHeaders,
  upstreamRequestHeaders,
} from './http/headers';
import { HeadTailCapture } from './metering/head-tail-capture';
import { NO_USAGE, openAiUsage, usageFromText } from './metering/usage';
import { anthropicModelList, openAiModel, openAiModelList } from './models/model-list';
import type { ProxyDeps } from './proxy-deps';
import { KeyRequest } from './key-request';
import { PROVIDERS } from './providers';
import type { ProviderConfig } from './providers/provider.types';
import {
  emptyFacts,
  MalformedBodyError,
  readJsonFacts,
  readMultipartModel,
  withIncludeUsage,
  withModel,
  type BodyFacts,
} from './routing/request-body';
import type { ProxyRoute } from './routing/resolve-route';
import { TickCoalescer } from './streaming/tick-coalescer';
import { UsageChunkFilter } from './streaming/usage-chunk-filter';
import { AttemptDeadlines, type DeadlineKind } from './upstream/attempt-deadlines';
import {
  AttemptAbortedError,
  CappedBodyReader,
  type UpstreamBodySink,
  type UpstreamCall,
} from './upstream/upstream-call';

type AttemptError = NonNullable<OutcomeInput['error']>;

/** An attempt that failed before anything reached the client, and may be retried on another key. */
interface FailedAttempt {
  classification: ClassifiedOutcome;
  error: AttemptError | null;
  status: number | null;
  headers: Record<string, string | string[] | undefined> | null;
  body: Buffer | null;
}

/** The attempt whose 2xx/3xx body is being relayed to the client. */
interface Relay {
  lease: KeyLease;
  call: UpstreamCall;
  sentAt: number;
  isLast: boolean;
  capture: HeadTailCapture;
  filter: UsageChunkFilter | null;
  /** What goes to the client, written once per tick. */
  out: TickCoalescer;
  /** Upstream headers, single-valued, for the balancer. */
  flat: Record<string, string>;
  sse: boolean;
  logAll: boolean;
  settled: boolean;
  resolve: (failed: FailedAttempt | null) => void;
}

const KEEP_ALIVE = ': keep-alive\n\n';
const KEEP_ALIVE_INTERVAL_MS = 5_000;
const ERROR_BODY_LIMIT = 64 * 1024;
const HEAD_BYTES = 8 * 1024;
const TAIL_BYTES = 16 * 1024;
const METHODS_WITH_BODY = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

class BodyTooLargeError extends Error {}
class ClientGoneError extends Error {}

/**
 * One client request through the proxy: read → authenticate → (acquire key → send → classify → release)
 * up to maxAttempts → relay → record one outcome. Nothing reaches the client before the upstream's status
 * and first body bytes are known, except SSE keep-alive comments while waiting for a key.
 */
export class ProxyExchange implements UpstreamBodySink {
  private readonly started = Date.now();
  private readonly provider: ProviderConfig;
  /** Aborted when the client goes away; created only if the balancer has to wait for a key. */
  private cancel: AbortController | null = null;
  /** The current attempt's upstream request, and why keypool cut it (if it did). */
  private call: UpstreamCall | null = null;
  private abortKind: DeadlineKind | 'client_cancel' | null = null;
  private relaying: Relay | null = null;
  /** Waiting for the client socket to drain (upstream paused). */
  private awaitingDrain = false;
  private readonly attempts: AttemptRecord[] = [];
  private facts: BodyFacts = emptyFacts();
  private json: Record<string, unknown> | null = null;
  private body: Buffer | undefined;
  private clientKeyId: string | null = null;
  private lease: KeyLease | null = null;
  private usage: TokenUsage = NO_USAGE;
  private ttfbMs: number | null = null;
  private finished = false;
  private clientGone = false;
  /** Bytes of an upstream body reached the client: no retry, no replay from here on. */
  private bodyStarted = false;
  private keepAliveTimer: NodeJS.Timeout | null = null;
  private responseLog: string | null = null;
  private readonly deadlines: AttemptDeadlines;
  private deadlineHit: DeadlineKind | null = null;
  /** Why the last attempt got no response head (the connection's error), for the log. */
  private connectError: string | null = null;

  constructor(
    private readonly deps: ProxyDeps,
    private readonly req: IncomingMessage,
    private readonly res: ServerResponse,
    private readonly route: ProxyRoute,
    private readonly requestId: string,
    private readonly baseHeaders: OutgoingHttpHeaders,
    private readonly clientIp: string | null,
  ) {
    this.provider = PROVIDERS[route.format];
    this.deadlines = new AttemptDeadlines((kind) => {
      this.deadlineHit = kind;
      this.abortAttempt(kind);
    });
    res.on('close', this.onClose);
  }

  async run(): Promise<void> {
    try {
      await this.execute();
    } catch (error) {
      if (this.clientGone || error instanceof ClientGoneError) {
        this.finishCancelled();
      } else if (error instanceof MalformedBodyError) {
        this.fail({ status: 400, message: error.message, code: 'invalid_json' }, 'client_error');
      } else if (error instanceof BodyTooLargeError) {
        this.fail({ status: 413, message: error.message, code: 'request_too_large' }, 'gateway_error');
      } else {
        this.deps.logger.error(
          `Proxy request ${this.requestId} failed: ${(error as Error).stack ?? String(error)}`,
        );
        this.fail(
          { status: 500, message: 'keypool failed to handle the request.', code: 'internal_error' },
          'gateway_error',
        );
      }
    } finally {
      this.stopKeepAlive();
      this.deadlines.stop();
      this.letGo();
    }
  }

  /**
   * Finished exchanges were measured to outlive young-generation collections (with `--trace-gc-nvp`,
   * the graphs of requests long done were still being promoted to the old generation). Letting go of
   * the bodies, the upstream call and the relay state leaves only the exchange itself to be kept.
   */
  private letGo(): void {
    this.relaying = null;
    this.call = null;
    this.lease = null;
    this.body = undefined;
    this.json = null;
  }

  private async execute(): Promise<void> {
    const settings = this.deps.settings.current();
    if (METHODS_WITH_BODY.has(this.req.method ?? '')) {
      this.body = await this.readBody(settings.bodyLimitBytes);
      this.readFacts();
    }
    if (this.route.format === 'gemini') {
      this.facts.model = this.route.pathModel;
      this.facts.stream = this.route.pathAction === 'streamGenerateContent';
    }
    const credential = clientCredential(this.req.headers, this.route.queryKey);
    const auth = await this.deps.clientAuth.authenticate(credential, this.facts.model);
    if (!auth.ok) {
      const headers: OutgoingHttpHeaders = {};
      if (auth.retryAfterSeconds !== undefined) {
        headers['retry-after'] = String(auth.retryAfterSeconds);
      }
      const code =
        auth.status === 401 ? 'invalid_api_key' : auth.status === 429 ? 'rate_limit_exceeded' : 'forbidden';
      this.fail({ status: auth.status, message: auth.message, code }, 'gateway_error', headers);
      return;
    }
    this.clientKeyId = auth.clientKeyId;
    if (this.route.kind !== 'forward') {
      await this.answerModels();
      return;
    }
    await this.forward();
  }

  private readFacts(): void {
    const body = this.body!;
    if (this.route.format === 'gemini' || body.length === 0) {
      return;
    }
    const type = this.req.headers['content-type'] ?? '';
    if (type.startsWith('multipart/form-data')) {
      this.facts.model = readMultipartModel(body, type);
      return;
    }
    if (type === '' || type.includes('json')) {
      const { facts, json } = readJsonFacts(body);
      this.facts = facts;
      this.json = json;
    }
  }

  // ---- attempts ----------------------------------------------------------------------------------

  private async forward(): Promise<void> {
    const settings = this.deps.settings.current();
    const maxAttempts = Math.max(1, settings.maxAttempts);
    const affinity = settings.affinityEnabled
      ? (headerValue(this.req.headers[settings.affinityHeader.toLowerCase()]) ?? this.facts.user)
      : null;
    const request = new KeyRequest(
      this.facts.model,
      this.route.format,
      affinity,
      this.cancelSignal,
      this.onWait,
    );
    let last: FailedAttempt | null = null;
    for (let n = 1; n <= maxAttempts; n++) {
      let lease: KeyLease;
      request.isRetry = n > 1;
      request.previousOutcome = last?.classification.class ?? null;
      try {
        lease = await this.deps.balancer.acquire(request);
      } catch (error) {
        if (this.clientGone) {
          throw new ClientGoneError();
        }
        // The client gets the last upstream answer, which says more than keypool's own 503 would, when:
        // out of retry budget; anything but "no key"; or the upstream itself failed (5xx, unreachable)
        // and no key is coming back by itself. A key's own failure (revoked, out of quota, limited)
        // keeps keypool's answer: the upstream's would read as the client's own key being wrong.
        if (
          last &&
          (error instanceof RetryBudgetExhaustedError ||
            !(error instanceof NoKeyAvailableError) ||
            (last.classification.class === OutcomeClass.UpstreamError && !isComingBack(error)))
        ) {
          break;
        }
        this.failAcquire(error);
        return;
      }
      request.excludeKeyIds.add(lease.key.id);
      this.lease = lease;
      const failed = await this.attempt(lease, n === maxAttempts);
      if (!failed) {
        return;
      }
      last = failed;
      if (this.clientGone) {
        throw new ClientGoneError();
      }
    }
    this.failAfterAttempts(last!);
  }

  /** Runs one attempt. Returns the failure when it may be retried; otherwise the exchange is finished. */
  private async attempt(lease: KeyLease, isLast: boolean): Promise<FailedAttempt | null> {
    const settings = this.deps.settings.current();
    const target = this.deps.client.target(lease.upstream.baseUrl);
    const headers = upstreamRequestHeaders(
      this.req.headers,
      this.provider.authHeader(lease.key.secret),
      this.provider.defaultHeaders,
    );
    if (this.body && headers['content-type'] === undefined && this.json) {
      headers['content-type'] = 'application/json';
    }
    const { body, hideUsage } = this.upstreamBody(lease);
    this.abortKind = null;
    this.deadlineHit = null;
    this.connectError = null;
    const overallMs = lease.upstream.timeoutMs ?? settings.requestTimeoutMs;
    this.deadlines.start(this.started + overallMs, settings.ttfbTimeoutMs, settings.idleTimeoutMs);
    const sentAt = Date.now();

    const call = this.deps.client.send({
      origin: target.origin,
      path: target.basePath + this.upstreamPath(lease) + this.route.query,
      method: this.req.method ?? 'GET',
      headers,
      body,
    });
    this.call = call;
    try {
      await call.head;
    } catch (error) {
      this.connectError = (error as Error).message || null;
      return this.attemptFailed(lease, sentAt, this.errorKind(error), null, null, null, isLast);
    }

    const status = call.status;
    if (status >= 400) {
      const reader = new CappedBodyReader(ERROR_BODY_LIMIT);
      call.attach(reader);
      let errorBody: Buffer;
      try {
        errorBody = await reader.body;
      } catch (error) {
        return this.attemptFailed(lease, sentAt, this.errorKind(error), null, null, null, isLast);
      }
      return this.attemptFailed(lease, sentAt, null, status, call.headers, errorBody, isLast);
    }
    return this.relay(lease, call, sentAt, hideUsage, isLast);
  }

  /** Cuts the current attempt (deadline or client gone); the first reason wins. */
  private abortAttempt(kind: DeadlineKind | 'client_cancel'): void {
    if (!this.call || this.abortKind !== null) {
      return;
    }
    this.abortKind = kind;
    this.call.abort(new AttemptAbortedError(kind));
  }

  /** Classifies and releases a failed attempt; sends the failure to the client unless it is retryable. */
  private attemptFailed(
    lease: KeyLease,
    sentAt: number,
    error: AttemptError | null,
    status: number | null,
    headers: Record<string, string | string[] | undefined> | null,
    body: Buffer | null,
    isLast: boolean,
  ): FailedAttempt | null {
    this.deadlines.stop();
    const flat = headers ? flattenHeaders(headers) : {};
    const classification = this.deps.balancer.classify({
      format: this.route.format,
      status,
      headers: flat,
      bodySnippet: body ? body.subarray(0, 4096).toString('utf8') : null,
      error,
      path: this.route.rest,
      now: Date.now(),
    });
    this.releaseAttempt(lease, classification, sentAt, flat, 0, error);
    const failed: FailedAttempt = { classification, error, status, headers, body };
    if (error === 'client_cancel' || this.clientGone) {
      throw new ClientGoneError();
    }
    if (classification.retryable && !isLast) {
      return failed;
    }
    this.failAfterAttempts(failed);
    return null;
  }

  /**
   * Streams a 2xx/3xx upstream body to the client once its first bytes are in. The exchange itself is
   * the body sink (`onUpstream*`), so a relayed request allocates one state object, not a set of closures.
   */
  private relay(
    lease: KeyLease,
    call: UpstreamCall,
    sentAt: number,
    hideUsage: boolean,
    isLast: boolean,
  ): Promise<FailedAttempt | null> {
    const settings = this.deps.settings.current();
    const logAll = settings.bodyLogging === 'all';
    const filter = hideUsage ? new UsageChunkFilter() : null;
    return new Promise<FailedAttempt | null>((resolve) => {
      this.relaying = {
        lease,
        call,
        sentAt,
        isLast,
        capture: new HeadTailCapture(
          logAll ? Math.max(HEAD_BYTES, settings.bodyLogMaxBytes) : HEAD_BYTES,
          TAIL_BYTES,
        ),
        filter,
        out: new TickCoalescer((chunk) => this.writeToClient(chunk)),
        flat: flattenHeaders(call.headers),
        sse: this.facts.stream && this.provider.streamIsSse(this.route.query),
        logAll,
        settled: false,
        resolve,
      };
      call.attach(this);
    });
  }

  onUpstreamData(chunk: Buffer): void {
    const r = this.relaying;
    if (!r || this.clientGone) {
      return;
    }
    if (!this.bodyStarted) {
      this.deadlines.firstByte();
      this.commitResponse(r);
    } else {
      this.deadlines.touch();
    }
    r.capture.push(chunk);
    if (r.filter) {
      r.filter.pushBytes(chunk, r.out);
    } else {
      r.out.bytes(chunk, 0, chunk.length);
    }
  }

  onUpstreamEnd(): void {
    const r = this.relaying;
    if (!r) {
      return;
    }
    const { res } = this;
    this.deadlines.stop();
    if (!this.bodyStarted) {
      this.commitResponse(r);
    }
    r.filter?.endBytes(r.out);
    const rest = r.out.take();
    const usage = this.meter(r.capture, r.filter);
    const status = r.call.status;
    const classification = this.deps.balancer.classify({
      format: this.route.format,
      status,
      headers: r.flat,
      bodySnippet: null,
      error: null,
      path: this.route.rest,
      now: Date.now(),
    });
    this.releaseAttempt(r.lease, classification, r.sentAt, r.flat, usage.totalTokens ?? 0, null);
    if (r.logAll) {
      this.responseLog = r.capture.headText();
    }
    // The last bytes and the end in one call: one socket write when the body ends in the tick it started.
    if (rest) {
      res.end(rest);
    } else {
      res.end();
    }
    this.finish(status, classification.class, null);
    this.settleRelay(r, null);
  }

  onUpstreamError(error: Error): void {
    const r = this.relaying;
    if (!r) {
      return;
    }
    const { res } = this;
    const kind = this.errorKind(error);
    if (!this.bodyStarted) {
      // Nothing reached the client: the attempt may still move to another key.
      let failed: FailedAttempt | null;
      try {
        failed = this.attemptFailed(r.lease, r.sentAt, kind, null, null, null, r.isLast);
      } catch {
        // attemptFailed throws only when the client is gone.
        this.finishCancelled();
        failed = null;
      }
      this.settleRelay(r, failed);
      return;
    }
    this.deadlines.stop();
    const classification = this.deps.balancer.classify({
      format: this.route.format,
      status: null,
      headers: r.flat,
      bodySnippet: null,
      error: kind === 'ttfb_timeout' ? 'timeout' : kind,
      path: this.route.rest,
      now: Date.now(),
    });
    const usage = this.meter(r.capture, r.filter);
    this.releaseAttempt(r.lease, classification, r.sentAt, r.flat, usage.totalTokens ?? 0, kind);
    if (kind === 'client_cancel' || this.clientGone) {
      r.out.discard();
      this.finishCancelled();
      this.settleRelay(r, null);
      return;
    }
    // What arrived before the failure goes out first.
    const pending = r.out.take();
    if (pending) {
      this.writeToClient(pending);
    }
    // Mid-stream failure: end with an error event in the provider's format, never a silent cut.
    const message =
      this.deadlineHit === 'idle_timeout'
        ? `The upstream stalled for more than ${this.deps.settings.current().idleTimeoutMs} ms mid-response.`
        : this.deadlineHit === 'timeout'
          ? 'The request exceeded its time limit mid-response.'
          : `The upstream connection failed mid-response: ${error.message}`;
    const status = this.deadlineHit ? 504 : 502;
    if (r.sse || (this.route.format === 'gemini' && this.facts.stream)) {
      res.end(dialectStreamError(this.route.format, { status, message, code: 'upstream_error' }, r.sse));
    } else {
      // A plain body cannot carry an error after it started: cut the connection so it is not taken as complete.
      res.destroy();
    }
    this.finish(r.call.status, classification.class, message);
    this.settleRelay(r, null);
  }

  private settleRelay(r: Relay, failed: FailedAttempt | null): void {
    if (!r.settled) {
      r.settled = true;
      r.resolve(failed);
    }
  }

  /** Status and headers go out with the first body bytes (or the end of an empty body). */
  private commitResponse(r: Relay): void {
    const { res } = this;
    this.bodyStarted = true;
    this.stopKeepAlive();
    this.ttfbMs = Date.now() - this.started;
    if (res.headersSent) {
      return;
    }
    const upstream = r.call.headers;
    const out = clientResponseHeaders(upstream, false);
    Object.assign(out, this.baseHeaders, this.poolHeaders());
    const length = upstream['content-length'];
    if (!r.filter && typeof length === 'string') {
      out['content-length'] = length;
    }
    if (r.sse) {
      out['cache-control'] = 'no-cache';
      out['x-accel-buffering'] = 'no';
    }
    res.writeHead(r.call.status, out);
  }

  /** Writes to the client; when its socket is full, pauses the upstream until it drains. */
  private writeToClient(chunk: Buffer | string): void {
    if (chunk.length > 0 && !this.clientGone && !this.res.write(chunk) && !this.awaitingDrain) {
      this.awaitingDrain = true;
      this.relaying?.call.pause();
      this.deadlines.suspendIdle(true);
      this.res.once('drain', this.onDrain);
    }
  }

  private readonly onDrain = (): void => {
    this.awaitingDrain = false;
    this.deadlines.suspendIdle(false);
    this.relaying?.call.resume();
  };

  private meter(capture: HeadTailCapture, filter: UsageChunkFilter | null): TokenUsage {
    const hidden = filter?.hiddenUsage();
    let usage: TokenUsage | null = hidden ? openAiUsage(hidden) : null;
    // Only Anthropic's usage starts in the head (message_start); the others need the tail alone.
    usage ??= usageFromText(
      this.route.format,
      this.route.format === 'anthropic' ? capture.headText() : '',
      capture.tailText(),
    );
    if (usage) {
      this.usage = usage;
    }
    return this.usage;
  }

  private releaseAttempt(
    lease: KeyLease,
    classification: ClassifiedOutcome,
    sentAt: number,
    headers: Record<string, string>,
    totalTokens: number,
    error: string | null,
  ): void {
    const durationMs = Date.now() - sentAt;
    const record: AttemptRecord = {
      keyId: lease.key.id,
      upstreamId: lease.upstream.id,
      outcome: classification.class,
      status: classification.status,
      durationMs,
    };
    if (error) {
      record.error = error;
    }
    this.attempts.push(record);
    try {
      lease.release({ classification, durationMs, totalTokens, headers });
    } catch (releaseError) {
      this.deps.logger.error(`Releasing a key lease failed: ${(releaseError as Error).message}`);
    }
  }

  // ---- request body --------------------------------------------------------------------------------

  private upstreamBody(lease: KeyLease): { body: Buffer | undefined; hideUsage: boolean } {
    const { json, facts } = this;
    if (!this.body || !json) {
      return { body: this.body, hideUsage: false };
    }
    const rename = lease.upstreamModel !== null && lease.upstreamModel !== facts.model;
    const addUsage = this.route.format === 'openai' && facts.stream && !facts.includeUsage;
    if (rename) {
      const renamed = addUsage
        ? { ...json, stream_options: { ...(json.stream_options as object | undefined), include_usage: true } }
        : json;
      return { body: withModel(renamed, lease.upstreamModel!), hideUsage: addUsage };
    }
    return { body: addUsage ? withIncludeUsage(this.body, facts, json) : this.body, hideUsage: addUsage };
  }

  private upstreamPath(lease: KeyLease): string {
    const { route } = this;
    if (route.pathModel && lease.upstreamModel && lease.upstreamModel !== route.pathModel) {
      return `/models/${encodeURIComponent(lease.upstreamModel)}:${route.pathAction}`;
    }
    return route.rest;
  }

  private readBody(limit: number): Promise<Buffer> {
    const declared = Number(this.req.headers['content-length']);
    if (declared > limit) {
      return Promise.reject(new BodyTooLargeError(`The request body exceeds the limit of ${limit} bytes.`));
    }
    return new Promise<Buffer>((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const onData = (chunk: Buffer) => {
        size += chunk.length;
        if (size > limit) {
          cleanup();
          this.req.resume();
          reject(new BodyTooLargeError(`The request body exceeds the limit of ${limit} bytes.`));
          return;
        }
        chunks.push(chunk);
      };
      const onEnd = () => {
        cleanup();
        resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size));
      };
      const onGone = () => {
        cleanup();
        reject(new ClientGoneError());
      };
      const cleanup = () => {
        this.req.off('data', onData);
        this.req.off('end', onEnd);
        this.req.off('error', onGone);
        this.req.off('aborted', onGone);
      };
      this.req.on('data', onData);
      this.req.on('end', onEnd);
      this.req.on('error', onGone);
      this.req.on('aborted', onGone);
    });
  }

  // ---- models ---------------------------------------------------------------------------------------

  private async answerModels(): Promise<void> {
    const entries = await this.deps.models.list();
    if (this.route.kind === 'model') {
      const id = decodeURIComponent(this.route.rest.slice('/models/'.length));
      const entry = entries.find((e) => e.id === id);
      if (!entry) {
        this.fail(
          { status: 404, message: `The model '${id}' does not exist.`, code: 'model_not_found' },
          'client_error',
        );
        return;
      }
      this.sendJson(200, openAiModel(entry));
      this.finish(200, 'success', null);
      return;
    }
    const anthropicClient = this.req.headers['anthropic-version'] !== undefined;
    this.sendJson(200, anthropicClient ? anthropicModelList(entries) : openAiModelList(entries));
    this.finish(200, 'success', null);
  }

  // ---- failures -----------------------------------------------------------------------------------

  private failAcquire(error: unknown): void {
    if (error instanceof NoKeyAvailableError) {
      const headers: OutgoingHttpHeaders = {};
      if (error.retryAfterMs !== null) {
        headers['retry-after'] = String(Math.max(1, Math.ceil(error.retryAfterMs / 1000)));
      }
      const code = error.status === 429 ? 'rate_limit_exceeded' : 'no_key_available';
      this.fail({ status: error.status, message: error.message, code }, 'gateway_error', headers);
    } else if (error instanceof UnknownModelError) {
      this.fail({ status: 404, message: error.message, code: 'model_not_found' }, 'client_error');
    } else if (error instanceof NoKeysConfiguredError) {
      this.fail({ status: 503, message: error.message, code: 'no_keys_configured' }, 'gateway_error');
    } else {
      throw error;
    }
  }

  /** The last attempt failed (or was not retryable): its upstream error goes to the client as it came. */
  private failAfterAttempts(last: FailedAttempt): void {
    const outcome = last.classification.class;
    if (last.status !== null && last.body) {
      if (this.res.headersSent) {
        this.endStreamWithUpstreamError(last.status, last.body);
        this.finish(200, outcome, `upstream ${last.status}`);
        return;
      }
      const headers = clientResponseHeaders(last.headers ?? {}, true);
      Object.assign(headers, this.baseHeaders, this.poolHeaders());
      headers['content-length'] = last.body.length;
      this.res.writeHead(last.status, headers);
      this.res.end(last.body);
      if (this.deps.settings.current().bodyLogging !== 'off') {
        this.responseLog = this.redact(last.body.toString('utf8'));
      }
      this.finish(last.status, outcome, last.classification.message ?? `upstream ${last.status}`);
      return;
    }
    const timedOut = last.error === 'timeout' || last.error === 'ttfb_timeout';
    const status = timedOut ? 504 : 502;
    const message = timedOut
      ? `The upstream did not answer in time (${this.deadlineHit ?? last.error}).`
      : 'The upstream could not be reached.';
    // The connection's own error (an address, a policy refusal) goes to the log, not to the client.
    const logged = !timedOut && this.connectError ? `${message} ${this.connectError}` : message;
    this.fail({ status, message, code: last.error ?? 'upstream_error' }, outcome, undefined, logged);
  }

  private endStreamWithUpstreamError(status: number, body: Buffer): void {
    const text = body.toString('utf8').trim();
    const isJson = text.startsWith('{');
    const sse = this.provider.streamIsSse(this.route.query);
    if (isJson && sse) {
      this.res.end(
        this.route.format === 'anthropic' ? `event: error\ndata: ${text}\n\n` : `data: ${text}\n\n`,
      );
    } else {
      this.res.end(dialectStreamError(this.route.format, { status, message: text.slice(0, 500) }, sse));
    }
  }

  /** keypool's own error in the caller's dialect (an SSE error event if keep-alives already started). */
  private fail(
    failure: ProxyFailure,
    outcome: OutcomeClass,
    extra?: OutgoingHttpHeaders,
    logged: string = failure.message,
  ): void {
    if (this.finished || this.clientGone) {
      return;
    }
    if (this.res.headersSent) {
      this.res.end(
        dialectStreamError(this.route.format, failure, this.provider.streamIsSse(this.route.query)),
      );
    } else {
      const body = dialectErrorBody(this.route.format, failure);
      const headers: OutgoingHttpHeaders = {
        ...this.baseHeaders,
        ...extra,
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
      };
      this.res.writeHead(failure.status, headers);
      this.res.end(body);
      if (this.deps.settings.current().bodyLogging !== 'off') {
        this.responseLog = body;
      }
    }
    this.finish(this.res.headersSent && this.bodyStarted ? 200 : failure.status, outcome, logged);
  }

  private sendJson(status: number, value: unknown): void {
    const body = JSON.stringify(value);
    this.res.writeHead(status, {
      ...this.baseHeaders,
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
    });
    this.res.end(body);
  }

  // ---- waiting, cancel, record --------------------------------------------------------------------

  /** The balancer has to wait for a key: streaming clients get SSE comments so idle proxies keep the line. */
  private readonly onWait = (): void => {
    if (!this.facts.stream || !this.provider.streamIsSse(this.route.query) || this.res.headersSent) {
      return;
    }
    // Committing 200 + SSE headers early is the price of keep-alives: later failures become SSE error
    // events (in the dialect) instead of HTTP error statuses.
    this.res.writeHead(200, {
      ...this.baseHeaders,
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      'x-accel-buffering': 'no',
    });
    this.res.write(KEEP_ALIVE);
    this.keepAliveTimer = setInterval(() => this.res.write(KEEP_ALIVE), KEEP_ALIVE_INTERVAL_MS);
    this.keepAliveTimer.unref();
  };

  private readonly cancelSignal = (): AbortSignal => {
    if (!this.cancel) {
      this.cancel = new AbortController();
      if (this.clientGone) {
        this.cancel.abort();
      }
    }
    return this.cancel.signal;
  };

  private stopKeepAlive(): void {
    if (this.keepAliveTimer) {
      clearInterval(this.keepAliveTimer);
      this.keepAliveTimer = null;
    }
  }

  private readonly onClose = (): void => {
    if (this.res.writableFinished || this.finished) {
      return;
    }
    this.clientGone = true;
    this.cancel?.abort();
    this.abortAttempt('client_cancel');
  };

  private errorKind(error: unknown): AttemptError {
    const reason = this.abortKind;
    if (this.clientGone || reason === 'client_cancel') {
      return 'client_cancel';
    }
    if (reason === 'ttfb_timeout') {
      return 'ttfb_timeout';
    }
    if (reason === 'timeout' || reason === 'idle_timeout') {
      return 'timeout';
    }
    const code = (error as { code?: string }).code;
    return code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'UND_ERR_HEADERS_TIMEOUT' ? 'timeout' : 'network';
  }

  private finishCancelled(): void {
    if (!this.res.writableEnded) {
      this.res.destroy();
    }
    this.finish(499, 'client_cancel', 'The client closed the connection.');
  }

  private poolHeaders(): OutgoingHttpHeaders {
    return this.deps.poolHeaders.for(this.route.format, this.facts.model);
  }

  private redact(text: string): string {
    const secret = this.lease?.key.secret;
    return secret ? text.split(secret).join(this.lease!.key.maskedSecret) : text;
  }

  private finish(status: number, outcome: OutcomeClass, error: string | null): void {
    if (this.finished) {
      return;
    }
    this.finished = true;
    const settings = this.deps.settings.current();
    const lease = this.lease;
    const usage = this.usage;
    const logBodies = settings.bodyLogging === 'all' || (settings.bodyLogging === 'errors' && status >= 400);
    // Every field spelled out (no spread of the usage object): one object shape for every request, built
    // without V8's slow path for spread-then-extend literals, which showed up in the profile.
    const record: RequestOutcome = {
      promptTokens: usage.promptTokens,
      completionTokens: usage.completionTokens,
      totalTokens: usage.totalTokens,
      cachedTokens: usage.cachedTokens,
      reasoningTokens: usage.reasoningTokens,
      startedAt: this.started,
      requestId: this.requestId,
      clientKeyId: this.clientKeyId,
      method: this.req.method ?? 'GET',
      path: pathOnly(this.req.url ?? ''),
      format: this.route.format,
      modelRequested: this.facts.model,
      modelResolved: lease?.upstreamModel ?? null,
      upstreamId: lease?.upstream.id ?? null,
      keyId: lease?.key.id ?? null,
      attempts: this.attempts,
      status,
      outcome,
      stream: this.facts.stream,
      latencyMs: Date.now() - this.started,
      ttfbMs: this.ttfbMs,
      error,
      clientIp: this.clientIp,
      requestBody:
        logBodies && this.body
          ? loggableBody(this.body, this.req.headers['content-type'], settings.bodyLogMaxBytes)
          : null,
      responseBody:
        logBodies && this.responseLog
          ? this.redact(this.responseLog.slice(0, settings.bodyLogMaxBytes))
          : null,
    };
    this.deps.logWriter.record(record);
  }
}

/** "No key" that says when one frees up, or that every key is rate-limited: keypool's own answer helps. */
function isComingBack(error: NoKeyAvailableError): boolean {
  return error.status === 429 || error.retryAfterMs !== null;
}

function headerValue(value: string | string[] | undefined): string | null {
  return typeof value === 'string' && value ? value : null;
}

function pathOnly(url: string): string {
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
}

function loggableBody(body: Buffer, contentType: string | undefined, max: number): string {
  if (contentType && !contentType.includes('json') && !contentType.startsWith('text/')) {
    return `[${contentType.split(';')[0]} body, ${body.length} bytes]`;
  }
  return body.subarray(0, max).toString('utf8');
}

import { Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { LiveStatusService } from './live-status.service';

const TICK_MS = 1000;

/**
 * Server-Sent Events for `GET /api/stats/live`: one shared timer pushes a `tick` to every open stream.
 * Streams end when the client goes away, and all of them before the HTTP server closes on shutdown
 * (otherwise the server would wait for them forever).
 */
@Injectable()
export class LiveStreamService implements BeforeApplicationShutdown {
  private readonly logger = new Logger(LiveStreamService.name);
  private readonly streams = new Set<ServerResponse>();
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly live: LiveStatusService) {}

  open(res: ServerResponse): void {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.write('retry: 3000\n\n');
    this.streams.add(res);
    res.on('close', () => this.remove(res));
    this.send(res);
    this.timer ??= setInterval(() => this.broadcast(), TICK_MS);
  }

  openStreams(): number {
    return this.streams.size;
  }

  beforeApplicationShutdown(): void {
    for (const res of this.streams) {
      res.end();
    }
    this.streams.clear();
    this.stopTimer();
  }

  private broadcast(): void {
    for (const res of this.streams) {
      this.send(res);
    }
  }

  private send(res: ServerResponse): void {
    try {
      res.write(`event: tick\ndata: ${JSON.stringify(this.live.tick())}\n\n`);
    } catch (error) {
      this.logger.warn(`Live stream write failed: ${String(error)}`);
      res.destroy();
      this.remove(res);
    }
  }

  private remove(res: ServerResponse): void {
    this.streams.delete(res);
    if (this.streams.size === 0) {
      this.stopTimer();
    }
  }

  private stopTimer(): void {
    if (this.timer) {
      clearInterval(this.timer);
      this.timer = null;
    }
  }
}

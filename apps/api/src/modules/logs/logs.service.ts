import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import {
  ErrorCode,
  type CleanupResponse,
  type CursorPage,
  type KeyEventListQuery,
  type KeyEventResponse,
  type LogListQuery,
  type RequestLogDetailResponse,
  type RequestLogResponse,
} from '@keypool/shared';
import { NotFoundError } from '../../common/errors/app-error';
import { SettingsService } from '../settings/settings.service';
import { toKeyEventResponse, toRequestLogDetail, toRequestLogResponse } from './log.mapper';
import { LogsRepository } from './logs.repository';
import { LogStore } from './store/log-store';

const DEFAULT_PAGE = 50;
const DAY_MS = 86_400_000;

@Injectable()
export class LogsService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(LogsService.name);
  private pruning: Promise<CleanupResponse> | null = null;
  private unsubscribe: (() => void) | null = null;
  private retentionDays: number;

  constructor(
    private readonly repository: LogsRepository,
    private readonly store: LogStore,
    private readonly settings: SettingsService,
  ) {
    this.retentionDays = settings.current().logRetentionDays;
  }

  onModuleInit(): void {
    this.unsubscribe = this.settings.onChange((next) => {
      if (next.logRetentionDays !== this.retentionDays) {
        this.retentionDays = next.logRetentionDays;
        this.pruneExpired().catch((error: unknown) => this.logger.warn(`Retention failed: ${String(error)}`));
      }
    });
  }

  onModuleDestroy(): void {
    this.unsubscribe?.();
  }

  async list(query: LogListQuery): Promise<CursorPage<RequestLogResponse>> {
    const limit = query.limit ?? DEFAULT_PAGE;
    const rows = await this.repository.findPage(query, limit);
    return page(rows.map(toRequestLogResponse), limit);
  }

  async get(id: number): Promise<RequestLogDetailResponse> {
    const row = Number.isSafeInteger(id) ? await this.repository.findById(id) : null;
    if (!row) {
      throw new NotFoundError(ErrorCode.LogNotFound, `Request log ${id} not found`);
    }
    return toRequestLogDetail(row);
  }

  async listEvents(query: KeyEventListQuery): Promise<CursorPage<KeyEventResponse>> {
    const limit = query.limit ?? DEFAULT_PAGE;
    const rows = await this.repository.findEventPage(query, limit);
    return page(rows.map(toKeyEventResponse), limit);
  }

  /** Deletes request logs and key events older than `logRetentionDays`; one run at a time. */
  pruneExpired(now = Date.now()): Promise<CleanupResponse> {
    this.pruning ??= this.store
      .pruneOlderThan(now - this.settings.current().logRetentionDays * DAY_MS, now)
      .then((result) => {
        if (result.deletedLogs + result.deletedEvents > 0) {
          this.logger.log(
            `Retention removed ${result.deletedLogs} request logs, ${result.deletedEvents} key events`,
          );
        }
        return result;
      })
      .finally(() => {
        this.pruning = null;
      });
    return this.pruning;
  }
}

function page<T extends { id: string }>(items: T[], limit: number): CursorPage<T> {
  const hasMore = items.length > limit;
  const shown = hasMore ? items.slice(0, limit) : items;
  return { items: shown, nextCursor: hasMore ? shown[shown.length - 1].id : null };
}

import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { KeyEventListQuery, LogListQuery } from '@keypool/shared';
import { DataSource, type SelectQueryBuilder } from 'typeorm';
import { KeyEventEntity } from './key-event.entity';
import { RequestLogEntity } from './request-log.entity';

const LIST_COLUMNS: Array<keyof RequestLogEntity> = [
  'id',
  'ts',
  'requestId',
  'clientKeyId',
  'method',
  'path',
  'format',
  'modelRequested',
  'modelResolved',
  'upstreamId',
  'keyId',
  'attempts',
  'status',
  'outcome',
  'statusClass',
  'stream',
  'latencyMs',
  'ttfbMs',
  'promptTokens',
  'completionTokens',
  'totalTokens',
  'cachedTokens',
  'reasoningTokens',
  'error',
  'clientIp',
];

/** Read side of request logs and key events: newest first, cursor = last id seen. */
@Injectable()
export class LogsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Returns up to `limit + 1` rows so the caller can tell whether another page exists. */
  findPage(query: LogListQuery, limit: number): Promise<RequestLogEntity[]> {
    const qb = this.dataSource
      .getRepository(RequestLogEntity)
      .createQueryBuilder('l')
      .select(LIST_COLUMNS.map((c) => `l.${c}`));
    this.applyTimeAndCursor(qb, query);
    if (query.statusClass) {
      qb.andWhere('l.statusClass = :statusClass', { statusClass: query.statusClass });
    }
    if (query.status !== undefined) {
      qb.andWhere('l.status = :status', { status: query.status });
    }
    if (query.keyId) {
      qb.andWhere('l.keyId = :keyId', { keyId: query.keyId });
    }
    if (query.upstreamId) {
      qb.andWhere('l.upstreamId = :upstreamId', { upstreamId: query.upstreamId });
    }
    if (query.model) {
      qb.andWhere('l.modelRequested = :model', { model: query.model });
    }
    if (query.clientKeyId) {
      qb.andWhere('l.clientKeyId = :clientKeyId', { clientKeyId: query.clientKeyId });
    }
    if (query.search) {
      this.applySearch(qb, query.search);
    }
    return qb
      .orderBy('l.id', 'DESC')
      .limit(limit + 1)
      .getMany();
  }

  findById(id: number): Promise<RequestLogEntity | null> {
    return this.dataSource.getRepository(RequestLogEntity).findOne({ where: { id } });
  }

  findEventPage(query: KeyEventListQuery, limit: number): Promise<KeyEventEntity[]> {
    const qb = this.dataSource.getRepository(KeyEventEntity).createQueryBuilder('l');
    this.applyTimeAndCursor(qb, query);
    if (query.keyId) {
      qb.andWhere('l.keyId = :keyId', { keyId: query.keyId });
    }
    if (query.upstreamId) {
      qb.andWhere('l.upstreamId = :upstreamId', { upstreamId: query.upstreamId });
    }
    if (query.type) {
      qb.andWhere('l.type = :type', { type: query.type });
    }
    return qb
      .orderBy('l.id', 'DESC')
      .limit(limit + 1)
      .getMany();
  }

  /**
   * Case-insensitive substring search over path, model and error, always through bound parameters.
   * SQLite: the FTS5 trigram index (`request_logs_search`) answers terms of 3+ characters; Postgres:
   * ILIKE on the expression the pg_trgm index covers. A trigram index cannot serve shorter terms, so
   * those scan, and only the newest SHORT_SEARCH_WINDOW rows (a rare two-letter term would otherwise
   * read every row: seconds at millions of rows).
   */
  private applySearch(qb: SelectQueryBuilder<RequestLogEntity>, search: string): void {
    const like = `%${escapeLike(search)}%`;
    const short = [...search].length < 3;
    if (short) {
      qb.andWhere(`l.id > (SELECT COALESCE(MAX("id"), 0) FROM "request_logs") - :window`, {
        window: SHORT_SEARCH_WINDOW,
      });
    }
    if (this.dataSource.options.type === 'postgres') {
      qb.andWhere(`${POSTGRES_SEARCH_EXPRESSION} ILIKE :search ESCAPE '\\'`, { search: like });
    } else if (!short) {
      qb.andWhere(
        'l.id IN (SELECT "rowid" FROM "request_logs_search" WHERE "request_logs_search" MATCH :phrase)',
        {
          phrase: ftsPhrase(search),
        },
      );
    } else {
      qb.andWhere(
        `(l.path LIKE :search ESCAPE '\\' OR l.modelRequested LIKE :search ESCAPE '\\' OR l.error LIKE :search ESCAPE '\\')`,
        { search: like },
      );
    }
  }

  private applyTimeAndCursor<T extends { id: number; ts: number }>(
    qb: SelectQueryBuilder<T>,
    query: { from?: string; to?: string; cursor?: string },
  ): void {
    qb.where('1 = 1');
    if (query.cursor) {
      qb.andWhere('l.id < :cursor', { cursor: Number(query.cursor) });
    }
    if (query.from) {
      qb.andWhere('l.ts >= :from', { from: Date.parse(query.from) });
    }
    if (query.to) {
      qb.andWhere('l.ts < :to', { to: Date.parse(query.to) });
    }
  }
}

/** How many of the newest rows a search term under 3 characters looks at. */
export const SHORT_SEARCH_WINDOW = 100_000;

/** The expression indexed by the Postgres migration's pg_trgm GIN index (must match it exactly). */
const POSTGRES_SEARCH_EXPRESSION = `(l.path || ' ' || COALESCE(l.model_requested, '') || ' ' || COALESCE(l.error, ''))`;

/** The whole search text as one FTS5 phrase: a trigram phrase matches it as a substring. */
function ftsPhrase(text: string): string {
  return `"${text.replace(/"/g, '""')}"`;
}

/** Search text is data, never pattern syntax. */
function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

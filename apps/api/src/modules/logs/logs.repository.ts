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
  async findPage(query: LogListQuery, limit: number): Promise<RequestLogEntity[]> {
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
      await this.applySearch(qb, query.search);
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
   * Postgres: ILIKE on the expression the pg_trgm index covers. SQLite, terms of 3+ characters: errors
   * through the FTS5 trigram index (`request_logs_error_search`); paths and models by matching the few
   * distinct values (`request_log_terms`) first, then finding their rows through the path and model
   * indexes. A trigram index cannot serve shorter terms, so those scan, and only the newest
   * SHORT_SEARCH_WINDOW rows (a rare two-letter term would otherwise read every row: seconds at millions).
   */
  private async applySearch(qb: SelectQueryBuilder<RequestLogEntity>, search: string): Promise<void> {
    const like = `%${escapeLike(search)}%`;
    const postgres = this.dataSource.options.type === 'postgres';
    if ([...search].length < 3) {
      // The floor goes in as a value, not a subquery, so Postgres plans a bounded read of the newest ids.
      const [{ top }] = await this.dataSource.query<Array<{ top: number | string }>>(
        `SELECT COALESCE(MAX("id"), 0) AS top FROM "request_logs"`,
      );
      qb.andWhere('l.id > :floor', { floor: Number(top) - SHORT_SEARCH_WINDOW });
      if (postgres) {
        // Under the "C" collation the expression is not the indexed one, so Postgres does not take its
        // trigram index (which for so short a term hands back every row to recheck: 10 s at 5M rows),
        // and ILIKE folds ASCII only, as SQLite's LIKE does, at a third of the cost.
        qb.andWhere(`${POSTGRES_SEARCH_EXPRESSION} COLLATE "C" ILIKE :search ESCAPE '\\'`, { search: like });
      } else {
        qb.andWhere(
          `(l.path LIKE :search ESCAPE '\\' OR l.modelRequested LIKE :search ESCAPE '\\' OR l.error LIKE :search ESCAPE '\\')`,
          { search: like },
        );
      }
    } else if (postgres) {
      qb.andWhere(`${POSTGRES_SEARCH_EXPRESSION} ILIKE :search ESCAPE '\\'`, { search: like });
    } else {
      await this.applyIndexedSearch(qb, search, like);
    }
  }

  /** SQLite, 3+ characters: see `applySearch`. */
  private async applyIndexedSearch(
    qb: SelectQueryBuilder<RequestLogEntity>,
    search: string,
    like: string,
  ): Promise<void> {
    const errors = `SELECT "rowid" FROM "request_logs_error_search" WHERE "request_logs_error_search" MATCH :phrase`;
    const terms = await this.dataSource.query<Array<{ kind: string; value: string }>>(
      `SELECT "kind", "value" FROM "request_log_terms" WHERE "value" LIKE ? ESCAPE '\\' LIMIT ${MAX_SEARCH_TERMS}`,
      [like],
    );
    const paths = terms.filter((t) => t.kind === 'path').map((t) => t.value);
    const models = terms.filter((t) => t.kind === 'model').map((t) => t.value);
    const params = { phrase: ftsPhrase(search), paths, models };
    if (terms.length === 0) {
      qb.andWhere(`l.id IN (${errors})`, params);
      return;
    }
    if (terms.length === MAX_SEARCH_TERMS) {
      // Text this common ("/v1") matches rows everywhere: reading the newest rows first finds a page.
      qb.andWhere(
        `(l.id IN (${errors}) OR l.path LIKE :search ESCAPE '\\' OR l.modelRequested LIKE :search ESCAPE '\\')`,
        { phrase: params.phrase, search: like },
      );
      return;
    }
    const byTerm = [
      ...(paths.length > 0 ? ['SELECT "id" FROM "request_logs" WHERE "path" IN (:...paths)'] : []),
      ...(models.length > 0
        ? ['SELECT "id" FROM "request_logs" WHERE "model_requested" IN (:...models)']
        : []),
    ];
    // Few rows: collect their ids through the indexes. Many: they are dense enough that reading the
    // newest rows first finds a page at once, where collecting every id would take seconds.
    const [countSql, countParams] = this.dataSource.driver.escapeQueryWithParameters(
      `SELECT COUNT(*) AS n FROM (${byTerm.join(' UNION ALL ')} LIMIT ${COLLECT_IDS_BELOW})`,
      { paths, models },
      {},
    );
    const [{ n }] = await this.dataSource.query<Array<{ n: number }>>(countSql, countParams);
    if (n < COLLECT_IDS_BELOW) {
      qb.andWhere(`l.id IN (${[errors, ...byTerm].join(' UNION ALL ')})`, params);
    } else {
      // The unary `+` keeps SQLite from answering this OR through the path and model indexes, which
      // collects and sorts every matching id: without planner statistics (keypool runs no ANALYZE) it
      // chose that, and a path search took 18 s at 5M rows.
      const matches = [
        `l.id IN (${errors})`,
        ...(paths.length > 0 ? ['+"l"."path" IN (:...paths)'] : []),
        ...(models.length > 0 ? ['+"l"."model_requested" IN (:...models)'] : []),
      ];
      qb.andWhere(`(${matches.join(' OR ')})`, params);
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

/** Most distinct paths and models a search looks up by value; text matching more is searched by scanning. */
const MAX_SEARCH_TERMS = 500;
/** Below this many rows of the matching paths and models, a search collects their ids (see applyIndexedSearch). */
const COLLECT_IDS_BELOW = 100_000;

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

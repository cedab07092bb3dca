import type { AttemptRecord, OutcomeClass, StatusClass, UpstreamFormat } from '@keypool/shared';
import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { bigintNumber } from '../../database/bigint.transformer';

/**
 * One row per client request. The id is monotonic, so `ORDER BY id DESC` is newest first and
 * doubles as the pagination cursor; the (filter, id) indexes serve the first page of any filter.
 */
@Entity('request_logs')
@Index('idx_request_logs_ts', ['ts'])
@Index('idx_request_logs_key', ['keyId', 'id'])
@Index('idx_request_logs_upstream', ['upstreamId', 'id'])
@Index('idx_request_logs_model', ['modelRequested', 'id'])
@Index('idx_request_logs_status', ['status', 'id'])
@Index('idx_request_logs_client', ['clientKeyId', 'id'])
@Index('idx_request_logs_status_class', ['statusClass', 'id'])
export class RequestLogEntity {
  @PrimaryGeneratedColumn()
  id: number;

  /** Request start, epoch ms. */
  @Column({ type: 'bigint', transformer: bigintNumber })
  ts: number;

  @Column({ name: 'request_id', type: 'varchar', length: 100 })
  requestId: string;

  @Column({ name: 'client_key_id', type: 'varchar', length: 36, nullable: true })
  clientKeyId: string | null;

  @Column({ type: 'varchar', length: 10 })
  method: string;

  @Column({ type: 'varchar', length: 500 })
  path: string;

  @Column({ type: 'varchar', length: 20 })
  format: UpstreamFormat;

  @Column({ name: 'model_requested', type: 'varchar', length: 200, nullable: true })
  modelRequested: string | null;

  @Column({ name: 'model_resolved', type: 'varchar', length: 200, nullable: true })
  modelResolved: string | null;

  @Column({ name: 'upstream_id', type: 'varchar', length: 36, nullable: true })
  upstreamId: string | null;

  @Column({ name: 'key_id', type: 'varchar', length: 36, nullable: true })
  keyId: string | null;

  @Column({ type: 'simple-json' })
  attempts: AttemptRecord[];

  @Column({ type: 'integer' })
  status: number;

  @Column({ type: 'varchar', length: 30 })
  outcome: OutcomeClass;

  /** Derived from status and outcome when written; indexed with id for the status-class filter. */
  @Column({ name: 'status_class', type: 'varchar', length: 10, nullable: true })
  statusClass: StatusClass | null;

  @Column({ type: 'boolean', default: false })
  stream: boolean;

  @Column({ name: 'latency_ms', type: 'integer' })
  latencyMs: number;

  @Column({ name: 'ttfb_ms', type: 'integer', nullable: true })
  ttfbMs: number | null;

  @Column({ name: 'prompt_tokens', type: 'integer', nullable: true })
  promptTokens: number | null;

  @Column({ name: 'completion_tokens', type: 'integer', nullable: true })
  completionTokens: number | null;

  @Column({ name: 'total_tokens', type: 'integer', nullable: true })
  totalTokens: number | null;

  @Column({ name: 'cached_tokens', type: 'integer', nullable: true })
  cachedTokens: number | null;

  @Column({ name: 'reasoning_tokens', type: 'integer', nullable: true })
  reasoningTokens: number | null;

  @Column({ type: 'text', nullable: true })
  error: string | null;

  @Column({ name: 'client_ip', type: 'varchar', length: 64, nullable: true })
  clientIp: string | null;

  @Column({ name: 'request_body', type: 'text', nullable: true })
  requestBody: string | null;

  @Column({ name: 'response_body', type: 'text', nullable: true })
  responseBody: string | null;
}

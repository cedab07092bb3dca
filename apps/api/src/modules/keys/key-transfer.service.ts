import { Injectable, Logger } from '@nestjs/common';
import { ErrorCode, type ImportKeysResponse, type KeyExportFile, type SkippedKey } from '@keypool/shared';
import { CryptoService } from '../../common/crypto/crypto.service';
import { AppError, NotFoundError, ValidationError } from '../../common/errors/app-error';
import { UpstreamUrlPolicy } from '../upstreams/upstream-url.guard';
import type { UpstreamEntity } from '../upstreams/upstream.entity';
import { UpstreamsRepository } from '../upstreams/upstreams.repository';
import { ImportFormatError, parseImport, type ImportGroup } from './import/parse-import';
import { KeyIntake } from './key-intake.service';
import { KeysRepository } from './keys.repository';
import { PoolCatalog } from './pool-catalog.service';

/** Export of every upstream and key (secrets in the clear) and the idempotent import of four formats. */
@Injectable()
export class KeyTransferService {
  private readonly logger = new Logger('KeyTransfer');

  constructor(
    private readonly keys: KeysRepository,
    private readonly upstreams: UpstreamsRepository,
    private readonly intake: KeyIntake,
    private readonly catalog: PoolCatalog,
    private readonly crypto: CryptoService,
    private readonly urlPolicy: UpstreamUrlPolicy,
  ) {}

  async export(now = new Date()): Promise<KeyExportFile> {
    const [upstreams, keys] = await Promise.all([this.upstreams.findAll(), this.keys.findAllWithSecrets()]);
    // An audit trail for the one response that carries clear secrets (the secrets themselves never logged).
    this.logger.warn(`Exported ${keys.length} key(s) of ${upstreams.length} upstream(s) with clear secrets`);
    return {
      format: 'keypool-export',
      version: 1,
      exportedAt: now.toISOString(),
      upstreams: upstreams.map((u) => ({
        name: u.name,
        baseUrl: u.baseUrl,
        format: u.format,
        modelPatterns: u.modelPatterns,
        aliases: u.aliases,
        strategy: u.strategy,
        timeoutMs: u.timeoutMs,
        enabled: u.enabled,
        keys: keys
          .filter((k) => k.upstreamId === u.id)
          .map((k) => ({
            plaintextSecret: this.crypto.decrypt(k.secretEncrypted),
            name: k.name,
            weight: k.weight,
            tags: k.tags,
            enabled: k.enabled,
            rpmLimit: k.rpmLimit,
            tpmLimit: k.tpmLimit,
            dailyLimit: k.dailyLimit,
          })),
      })),
    };
  }

  async import(body: unknown, upstreamId: string | undefined): Promise<ImportKeysResponse> {
    let parsed;
    try {
      parsed = parseImport(body);
    } catch (error) {
      if (error instanceof ImportFormatError) {
        throw new AppError(400, ErrorCode.ImportInvalid, error.message);
      }
      throw error;
    }
    const invalid: SkippedKey[] = [...parsed.invalid];
    const skipped: SkippedKey[] = [];
    let added = 0;
    const needsTarget = parsed.groups.some((g) => g.upstream === null);
    const target = needsTarget ? await this.requireTarget(upstreamId) : null;
    for (const group of parsed.groups) {
      const upstream = group.upstream ? await this.resolveUpstream(group, invalid) : target;
      if (!upstream) {
        continue;
      }
      const result = await this.intake.add(upstream.id, group.entries, `import (${parsed.format})`);
      added += result.added.length;
      skipped.push(...result.skipped);
    }
    await this.catalog.reload();
    return { added, skipped, invalid };
  }

  private async requireTarget(upstreamId: string | undefined): Promise<UpstreamEntity> {
    if (!upstreamId) {
      throw new ValidationError('This import format names no upstream: pass ?upstreamId=', {
        upstreamId: ['upstreamId is required for this format (it names no upstream)'],
      });
    }
    const upstream = await this.upstreams.findById(upstreamId);
    if (!upstream) {
      throw new NotFoundError(ErrorCode.UpstreamNotFound, `No upstream with id ${upstreamId}`);
    }
    return upstream;
  }

  /** Finds the exported upstream by name, or creates it (its URL goes through the same policy). */
  private async resolveUpstream(group: ImportGroup, invalid: SkippedKey[]): Promise<UpstreamEntity | null> {
    const spec = group.upstream!;
    const existing = await this.upstreams.findByName(spec.name);
    if (existing) {
      return existing;
    }
    let baseUrl: string;
    try {
      baseUrl = await this.urlPolicy.accept(spec.baseUrl);
    } catch (error) {
      invalid.push({
        key: `upstream "${spec.name}" (${group.entries.length} key(s))`,
        reason: (error as Error).message,
      });
      return null;
    }
    return this.upstreams.create({
      name: spec.name,
      baseUrl,
      format: spec.format,
      modelPatterns: spec.modelPatterns,
      aliases: spec.aliases,
      strategy: spec.strategy,
      timeoutMs: spec.timeoutMs,
      enabled: spec.enabled,
    });
  }
}

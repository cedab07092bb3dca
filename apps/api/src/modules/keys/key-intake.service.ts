import { Injectable } from '@nestjs/common';
import { KeyEventType, type SkippedKey } from '@keypool/shared';
import { CryptoService } from '../../common/crypto/crypto.service';
import { maskSecret } from '../../common/crypto/mask-secret';
import type { ApiKeyEntity } from './api-key.entity';
import { KeyCollaborators } from './collaborators';
import type { ImportEntry } from './import/parse-import';
import { KeysRepository } from './keys.repository';

export interface IntakeResult {
  added: ApiKeyEntity[];
  skipped: SkippedKey[];
}

/**
 * Adds secrets to an upstream: encrypts, hashes for duplicate detection, skips what the upstream already
 * has (or what appears twice in the batch) and records an `added` event per key. The caller reloads
 * the catalog once afterwards.
 */
@Injectable()
export class KeyIntake {
  constructor(
    private readonly keys: KeysRepository,
    private readonly crypto: CryptoService,
    private readonly collaborators: KeyCollaborators,
  ) {}

  async add(upstreamId: string, entries: ImportEntry[], source: string): Promise<IntakeResult> {
    const existing = await this.keys.secretHashesOf(upstreamId);
    const skipped: SkippedKey[] = [];
    const rows: Array<Partial<ApiKeyEntity>> = [];
    for (const entry of entries) {
      const hash = this.crypto.secretHash(entry.secret);
      if (existing.has(hash)) {
        skipped.push({ key: maskSecret(entry.secret), reason: 'already in this upstream' });
        continue;
      }
      existing.add(hash);
      const enabled = entry.enabled ?? true;
      rows.push({
        upstreamId,
        secretEncrypted: this.crypto.encrypt(entry.secret),
        secretHash: hash,
        secretHint: maskSecret(entry.secret),
        name: entry.name ?? '',
        weight: entry.weight ?? 1,
        tags: entry.tags ?? [],
        enabled,
        disabledReason: enabled ? null : 'manual',
        rpmLimit: entry.rpmLimit ?? null,
        tpmLimit: entry.tpmLimit ?? null,
        dailyLimit: entry.dailyLimit ?? null,
      });
    }
    const added = await this.keys.insertMany(rows);
    for (const key of added) {
      this.collaborators.recordKeyEvent({
        keyId: key.id,
        upstreamId,
        type: KeyEventType.Added,
        message: `Key added (${source})`,
      });
    }
    return { added, skipped };
  }
}

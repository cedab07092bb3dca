import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Not, Like, type Repository } from 'typeorm';
import { SettingEntity } from './setting.entity';

/** Prefix of rows that are not operator settings (password hash, JWT secret, token version). */
export const INTERNAL_PREFIX = 'internal:';

/** The `settings` table: runtime settings and internal values, each a JSON value under a key. */
@Injectable()
export class SettingsRepository {
  constructor(@InjectRepository(SettingEntity) private readonly repo: Repository<SettingEntity>) {}

  /** Operator settings only, as parsed JSON values. Unparseable rows are skipped. */
  async findRuntimeValues(): Promise<Record<string, unknown>> {
    const rows = await this.repo.find({ where: { key: Not(Like(`${INTERNAL_PREFIX}%`)) } });
    const values: Record<string, unknown> = {};
    for (const row of rows) {
      try {
        values[row.key] = JSON.parse(row.value) as unknown;
      } catch {
        // A corrupt row falls back to its default.
      }
    }
    return values;
  }

  async saveRuntimeValues(values: Record<string, unknown>): Promise<void> {
    const rows = Object.entries(values).map(([key, value]) => ({ key, value: JSON.stringify(value) }));
    if (rows.length > 0) {
      await this.repo.upsert(rows, ['key']);
    }
  }

  async deleteRuntimeValues(keys: string[]): Promise<void> {
    if (keys.length > 0) {
      await this.repo.delete({ key: In(keys) });
    }
  }

  async getInternal<T>(name: string): Promise<T | undefined> {
    const row = await this.repo.findOne({ where: { key: INTERNAL_PREFIX + name } });
    return row ? (JSON.parse(row.value) as T) : undefined;
  }

  async setInternal(name: string, value: unknown): Promise<void> {
    await this.repo.upsert({ key: INTERNAL_PREFIX + name, value: JSON.stringify(value) }, ['key']);
  }

  /** Stores `value` only if nothing is stored yet; returns what is stored afterwards (first writer wins). */
  async initInternal<T>(name: string, value: T): Promise<T> {
    await this.repo
      .createQueryBuilder()
      .insert()
      .into(SettingEntity)
      .values({ key: INTERNAL_PREFIX + name, value: JSON.stringify(value) })
      .orIgnore()
      .execute();
    return (await this.getInternal<T>(name)) as T;
  }
}

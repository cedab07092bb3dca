import { Inject, Injectable, Logger } from '@nestjs/common';
import { CryptoService } from '../../common/crypto/crypto.service';
import { checkUpstreamUrl } from '../../common/net/upstream-url-policy';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { ConfigError } from '../../config/load-config';
import { UpstreamsRepository } from '../upstreams/upstreams.repository';
import { parseImport } from './import/parse-import';
import { KeyIntake } from './key-intake.service';
import { KeysRepository } from './keys.repository';

export const BOOTSTRAP_UPSTREAM_NAME = 'default';

/**
 * `UPSTREAM_URL` + `UPSTREAM_FORMAT` + `UPSTREAM_KEYS` create (or bring up to date) an upstream named
 * `default` and its keys at startup, so keypool runs with no UI at all. Keys added later through the
 * API are kept; weights of listed keys follow the env.
 */
@Injectable()
export class EnvBootstrap {
  private readonly logger = new Logger('Bootstrap');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly upstreams: UpstreamsRepository,
    private readonly keys: KeysRepository,
    private readonly intake: KeyIntake,
    private readonly crypto: CryptoService,
  ) {}

  async apply(): Promise<void> {
    const spec = this.config.bootstrapUpstream;
    if (!spec) {
      return;
    }
    const verdict = checkUpstreamUrl(spec.url, this.config.allowPrivateUpstreams);
    if (!verdict.ok) {
      throw new ConfigError(`Invalid environment:\n- UPSTREAM_URL ${verdict.reason}`);
    }
    const parsed = parseImport(spec.keys);
    for (const bad of parsed.invalid) {
      this.logger.warn(`UPSTREAM_KEYS ${bad.key}: ${bad.reason}`);
    }
    const entries = parsed.groups.flatMap((g) => g.entries);
    let upstream = await this.upstreams.findByName(BOOTSTRAP_UPSTREAM_NAME);
    if (!upstream) {
      upstream = await this.upstreams.create({
        name: BOOTSTRAP_UPSTREAM_NAME,
        baseUrl: verdict.url,
        format: spec.format,
        modelPatterns: ['*'],
        aliases: [],
        strategy: null,
        timeoutMs: null,
        enabled: true,
      });
    } else if (upstream.baseUrl !== verdict.url || upstream.format !== spec.format) {
      upstream = await this.upstreams.update(upstream.id, { baseUrl: verdict.url, format: spec.format });
    }
    const result = await this.intake.add(upstream.id, entries, 'UPSTREAM_KEYS');
    for (const entry of entries) {
      if (entry.weight === undefined) {
        continue;
      }
      const existing = await this.keys.findBySecretHash(upstream.id, this.crypto.secretHash(entry.secret));
      if (existing && existing.weight !== entry.weight) {
        await this.keys.update(existing.id, { weight: entry.weight });
      }
    }
    this.logger.log(
      `Upstream "${BOOTSTRAP_UPSTREAM_NAME}" from env: ${result.added.length} key(s) added, ${result.skipped.length} already present`,
    );
  }
}

import { Inject, Injectable } from '@nestjs/common';
import { ErrorCode } from '@keypool/shared';
import { AppError } from '../../common/errors/app-error';
import { checkResolvedAddresses } from '../../common/net/upstream-url-policy';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';

/** Applies the upstream URL policy (metadata endpoints never; private networks per config). */
@Injectable()
export class UpstreamUrlPolicy {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** Returns the normalised URL or throws 400 naming `field`. */
  async accept(url: string, field = 'baseUrl'): Promise<string> {
    const verdict = await checkResolvedAddresses(url, this.config.allowPrivateUpstreams);
    if (!verdict.ok) {
      throw new AppError(400, ErrorCode.UpstreamUrlRefused, `${field} ${verdict.reason}`, {
        [field]: [`${field} ${verdict.reason}`],
      });
    }
    return verdict.url;
  }
}

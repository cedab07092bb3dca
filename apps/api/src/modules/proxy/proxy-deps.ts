import type { LoggerService } from '@nestjs/common';
import type { BalancerService } from '../balancer/balancer.service';
import type { ClientAuthService } from '../client-keys/client-auth.service';
import type { LogWriter } from '../logs/log-writer.service';
import type { SettingsService } from '../settings/settings.service';
import type { ModelsCatalog } from './models/models-catalog.service';
import type { PoolHeaders } from './pool-headers';
import type { UpstreamClient } from './upstream/upstream-client';

/** The collaborators every exchange uses, gathered once so a request allocates one object, not seven. */
export interface ProxyDeps {
  balancer: BalancerService;
  settings: SettingsService;
  clientAuth: ClientAuthService;
  logWriter: LogWriter;
  client: UpstreamClient;
  models: ModelsCatalog;
  logger: LoggerService;
  poolHeaders: PoolHeaders;
}

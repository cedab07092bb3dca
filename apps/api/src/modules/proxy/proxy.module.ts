import { Module } from '@nestjs/common';
import { BalancerModule } from '../balancer/balancer.module';
import { ClientKeysModule } from '../client-keys/client-keys.module';
import { KeysModule } from '../keys/keys.module';
import { LogsModule } from '../logs/logs.module';
import { SettingsModule } from '../settings/settings.module';
import { ModelsCatalog } from './models/models-catalog.service';
import { ProxyHandler } from './proxy.handler';
import { UpstreamClient } from './upstream/upstream-client';

/**
 * The proxy pipeline. Its routes are raw Fastify routes (see proxy-http.ts) served by `ProxyHandler`;
 * they authenticate clients with the master key / client keys, never with the admin JWT.
 */
@Module({
  imports: [BalancerModule, KeysModule, SettingsModule, ClientKeysModule, LogsModule],
  providers: [ProxyHandler, UpstreamClient, ModelsCatalog],
  exports: [ModelsCatalog],
})
export class ProxyModule {}

import { Module, type DynamicModule } from '@nestjs/common';
import type { AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { AuthModule } from './modules/auth/auth.module';
import { BalancerModule } from './modules/balancer/balancer.module';
import { ClientKeysModule } from './modules/client-keys/client-keys.module';
import { ClusterModule } from './modules/cluster/cluster.module';
import { HealthModule } from './modules/health/health.module';
import { KeysModule } from './modules/keys/keys.module';
import { LogsModule } from './modules/logs/logs.module';
import { MetricsModule } from './modules/metrics/metrics.module';
import { ProxyModule } from './modules/proxy/proxy.module';
import { SettingsModule } from './modules/settings/settings.module';
import { StatsModule } from './modules/stats/stats.module';
import { UpstreamsModule } from './modules/upstreams/upstreams.module';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        DatabaseModule,
        ClusterModule,
        SettingsModule,
        AuthModule,
        UpstreamsModule,
        KeysModule,
        ClientKeysModule,
        BalancerModule,
        LogsModule,
        StatsModule,
        MetricsModule,
        ProxyModule,
        HealthModule,
      ],
    };
  }
}

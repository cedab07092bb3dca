import { Module } from '@nestjs/common';
import { BalancerModule } from '../balancer/balancer.module';
import { ClientKeysModule } from '../client-keys/client-keys.module';
import { KeysModule } from '../keys/keys.module';
import { LogsModule } from '../logs/logs.module';
import { SettingsModule } from '../settings/settings.module';
import { LiveStatusService } from './live-status.service';
import { LiveStreamService } from './live-stream.service';
import { StatsController } from './stats.controller';
import { StatsRepository } from './stats.repository';
import { StatsService } from './stats.service';

@Module({
  imports: [LogsModule, KeysModule, BalancerModule, SettingsModule, ClientKeysModule],
  controllers: [StatsController],
  providers: [StatsRepository, StatsService, LiveStatusService, LiveStreamService],
  exports: [LiveStatusService],
})
export class StatsModule {}

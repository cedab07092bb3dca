import { Module } from '@nestjs/common';
import { BalancerModule } from '../balancer/balancer.module';
import { KeysModule } from '../keys/keys.module';
import { LogsModule } from '../logs/logs.module';
import { MetricsController } from './metrics.controller';
import { MetricsService } from './metrics.service';

@Module({
  imports: [LogsModule, KeysModule, BalancerModule],
  controllers: [MetricsController],
  providers: [MetricsService],
  exports: [MetricsService],
})
export class MetricsModule {}

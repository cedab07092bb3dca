import { Module } from '@nestjs/common';
import { BalancerModule } from '../balancer/balancer.module';
import { ClientKeysModule } from '../client-keys/client-keys.module';
import { KeysModule } from '../keys/keys.module';
import { HealthChecks } from './health-checks.registry';
import { HealthController } from './health.controller';
import { HealthService } from './health.service';

@Module({
  imports: [KeysModule, BalancerModule, ClientKeysModule],
  controllers: [HealthController],
  providers: [HealthChecks, HealthService],
  exports: [HealthChecks],
})
export class HealthModule {}

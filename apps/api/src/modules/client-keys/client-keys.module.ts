import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { RedisClientRateLimiter } from '../cluster/redis-client-rate-limiter';
import { RedisConnection } from '../cluster/redis-connection.service';
import { ClientAuthService } from './client-auth.service';
import { ClientKeyEntity } from './client-key.entity';
import { ClientKeysController } from './client-keys.controller';
import { ClientKeysRepository } from './client-keys.repository';
import { ClientKeysService } from './client-keys.service';
import { ClientRateLimiter } from './client-rate-limiter';

/** Client keys and proxy authentication. Import this module for `ClientAuthService`. */
@Module({
  imports: [TypeOrmModule.forFeature([ClientKeyEntity])],
  controllers: [ClientKeysController],
  providers: [
    ClientKeysRepository,
    {
      // Shared through Redis when the cluster module is loaded and REDIS_URL is set; in memory otherwise.
      provide: ClientRateLimiter,
      inject: [APP_CONFIG, { token: RedisConnection, optional: true }],
      useFactory: (config: AppConfig, redis: RedisConnection | undefined) =>
        config.redisUrl && redis ? new RedisClientRateLimiter(redis) : new ClientRateLimiter(),
    },
    ClientAuthService,
    ClientKeysService,
  ],
  exports: [ClientAuthService, ClientRateLimiter],
})
export class ClientKeysModule {}

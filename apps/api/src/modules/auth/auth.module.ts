import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { ThrottlerModule } from '@nestjs/throttler';
import { RedisThrottlerStorage } from '../cluster/redis-throttler.storage';
import { SettingsModule } from '../settings/settings.module';
import { AdminAuthGuard } from './admin-auth.guard';
import { AdminCredentials } from './admin-credentials.service';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { JwtStrategy } from './jwt.strategy';

@Module({
  imports: [
    SettingsModule,
    PassportModule,
    JwtModule.register({}),
    // Only the routes that opt in with @UseGuards(ThrottlerGuard) are throttled: login and password change.
    // Counted in Redis across replicas when the cluster module provides its storage.
    ThrottlerModule.forRootAsync({
      inject: [{ token: RedisThrottlerStorage, optional: true }],
      useFactory: (storage: RedisThrottlerStorage | undefined) => ({
        throttlers: [{ name: 'default', ttl: 60_000, limit: 5 }],
        ...(storage ? { storage } : {}),
      }),
    }),
  ],
  controllers: [AuthController],
  providers: [AdminCredentials, AuthService, JwtStrategy, { provide: APP_GUARD, useClass: AdminAuthGuard }],
  exports: [AdminCredentials],
})
export class AuthModule {}

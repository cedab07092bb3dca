import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
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
    { provide: ClientRateLimiter, useFactory: () => new ClientRateLimiter() },
    ClientAuthService,
    ClientKeysService,
  ],
  exports: [ClientAuthService, ClientRateLimiter],
})
export class ClientKeysModule {}

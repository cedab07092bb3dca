import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CryptoModule } from '../../common/crypto/crypto.module';
import { UpstreamUrlPolicy } from '../upstreams/upstream-url.guard';
import { UpstreamEntity } from '../upstreams/upstream.entity';
import { UpstreamsRepository } from '../upstreams/upstreams.repository';
import { ApiKeyEntity } from './api-key.entity';
import { KeyCollaborators } from './collaborators';
import { EnvBootstrap } from './env-bootstrap.service';
import { KeyIntake } from './key-intake.service';
import { KeyTester } from './key-tester';
import { KeyTransferService } from './key-transfer.service';
import { KeysController } from './keys.controller';
import { KeysRepository } from './keys.repository';
import { KeysService } from './keys.service';
import { PoolCatalog } from './pool-catalog.service';

/**
 * Keys and the in-memory pool catalog. Storage of upstreams lives here too, because the catalog needs
 * both and UpstreamsModule needs the catalog. Import this module for `PoolCatalog`.
 */
@Module({
  imports: [TypeOrmModule.forFeature([ApiKeyEntity, UpstreamEntity]), CryptoModule],
  controllers: [KeysController],
  providers: [
    KeysRepository,
    UpstreamsRepository,
    UpstreamUrlPolicy,
    KeyCollaborators,
    KeyIntake,
    EnvBootstrap,
    PoolCatalog,
    KeyTester,
    KeysService,
    KeyTransferService,
  ],
  exports: [
    PoolCatalog,
    KeysRepository,
    UpstreamsRepository,
    UpstreamUrlPolicy,
    KeyCollaborators,
    CryptoModule,
  ],
})
export class KeysModule {}

import { Module } from '@nestjs/common';
import { KeysModule } from '../keys/keys.module';
import { UpstreamsController } from './upstreams.controller';
import { UpstreamsService } from './upstreams.service';

/** Admin API for upstreams. Storage and the URL policy come from KeysModule (shared with the catalog). */
@Module({
  imports: [KeysModule],
  controllers: [UpstreamsController],
  providers: [UpstreamsService],
})
export class UpstreamsModule {}

import { Module } from '@nestjs/common';
import { KeysModule } from '../keys/keys.module';
import { LogsModule } from '../logs/logs.module';
import { SettingsModule } from '../settings/settings.module';
import { BalancerService } from './balancer.service';
import { keyStateStoreProvider } from './key-state/key-state.provider';
import { KEY_STATE_STORE } from './key-state/key-state.store';
import { KeyStateReader } from './key-state.reader';

@Module({
  imports: [KeysModule, SettingsModule, LogsModule],
  providers: [keyStateStoreProvider, BalancerService, KeyStateReader],
  exports: [BalancerService, KeyStateReader, KEY_STATE_STORE],
})
export class BalancerModule {}

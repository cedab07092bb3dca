import { Global, Logger, Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { CryptoService } from './crypto.service';
import { resolveEncryptionKey } from './encryption-key';

@Global()
@Module({
  providers: [
    {
      provide: CryptoService,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => {
        const { key, source } = resolveEncryptionKey(config.encryptionKey, config.dataDir);
        if (source === 'generated') {
          new Logger('Crypto').warn(
            `Generated an encryption key in ${config.dataDir}/encryption.key. Back it up: stored provider keys cannot be decrypted without it.`,
          );
        }
        return new CryptoService(key);
      },
    },
  ],
  exports: [CryptoService],
})
export class CryptoModule {}

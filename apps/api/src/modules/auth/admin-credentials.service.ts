import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { SettingsRepository } from '../settings/settings.repository';
import { hashPassword, verifyPassword } from './password-hash';

const PASSWORD_HASH = 'adminPasswordHash';
const JWT_SECRET = 'jwtSecret';
const TOKEN_VERSION = 'tokenVersion';
/** How stale the cached token version may get before a token check re-reads it (other replicas). */
const TOKEN_VERSION_MAX_AGE_MS = 10_000;

/**
 * The admin password hash, the JWT signing secret and the token version (bumped to revoke every
 * issued token), kept in the settings table and cached here.
 */
@Injectable()
export class AdminCredentials implements OnModuleInit {
  private readonly logger = new Logger('Auth');
  private secret = '';
  private passwordHash = '';
  private version = 0;
  private versionReadAt = 0;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly store: SettingsRepository,
  ) {}

  async onModuleInit(): Promise<void> {
    this.secret =
      this.config.auth.jwtSecret ??
      (await this.store.initInternal(JWT_SECRET, randomBytes(48).toString('base64url')));
    this.version = await this.store.initInternal(TOKEN_VERSION, 0);
    this.versionReadAt = Date.now();
    await this.initPassword();
  }

  jwtSecret(): string {
    return this.secret;
  }

  tokenVersion(): number {
    return this.version;
  }

  /** True when ADMIN_PASSWORD is set: the env value is the password, the API can't change it. */
  passwordManagedByEnv(): boolean {
    return this.config.auth.adminPassword !== undefined;
  }

  /**
   * The token version, re-read from the database when the cached one is older than a few seconds or
   * when a token carries a newer one, so a password change on another replica takes effect here too.
   */
  async currentTokenVersion(seen?: number): Promise<number> {
    if (
      Date.now() - this.versionReadAt > TOKEN_VERSION_MAX_AGE_MS ||
      (seen !== undefined && seen > this.version)
    ) {
      this.version = (await this.store.getInternal<number>(TOKEN_VERSION)) ?? this.version;
      this.versionReadAt = Date.now();
    }
    return this.version;
  }

  /** Checks a password against the stored hash (read fresh: logins are rare and another replica may have changed it). */
  async verify(password: string): Promise<boolean> {
    this.passwordHash = (await this.store.getInternal<string>(PASSWORD_HASH)) ?? this.passwordHash;
    return verifyPassword(password, this.passwordHash);
  }

  /** Stores a new password and revokes every token issued before. */
  async changePassword(password: string): Promise<void> {
    this.passwordHash = await hashPassword(password);
    await this.store.setInternal(PASSWORD_HASH, this.passwordHash);
    await this.bumpTokenVersion();
  }

  /** Re-reads the stored values (another replica changed the password). */
  async reload(): Promise<void> {
    this.passwordHash = (await this.store.getInternal<string>(PASSWORD_HASH)) ?? this.passwordHash;
    this.version = (await this.store.getInternal<number>(TOKEN_VERSION)) ?? this.version;
    this.versionReadAt = Date.now();
  }

  private async bumpTokenVersion(): Promise<void> {
    const stored = (await this.store.getInternal<number>(TOKEN_VERSION)) ?? this.version;
    this.version = stored + 1;
    this.versionReadAt = Date.now();
    await this.store.setInternal(TOKEN_VERSION, this.version);
  }

  private async initPassword(): Promise<void> {
    const stored = await this.store.getInternal<string>(PASSWORD_HASH);
    const fromEnv = this.config.auth.adminPassword;
    if (fromEnv !== undefined) {
      if (stored && (await verifyPassword(fromEnv, stored))) {
        this.passwordHash = stored;
        return;
      }
      // ADMIN_PASSWORD is authoritative: it changed (or was just set), so older tokens stop working.
      this.passwordHash = await hashPassword(fromEnv);
      await this.store.setInternal(PASSWORD_HASH, this.passwordHash);
      if (stored) {
        await this.bumpTokenVersion();
        this.logger.log('Admin password updated from ADMIN_PASSWORD; earlier admin sessions were signed out');
      }
      return;
    }
    if (stored) {
      this.passwordHash = stored;
      return;
    }
    const generated = randomBytes(18).toString('base64url');
    const hash = await hashPassword(generated);
    this.passwordHash = await this.store.initInternal(PASSWORD_HASH, hash);
    if (this.passwordHash === hash) {
      // Printed once, on stdout only, so the operator can log in; only the hash is stored.
      process.stdout.write(
        [
          '',
          '================================================================',
          ' keypool generated an admin password (shown only this once):',
          `   ${generated}`,
          ' Log in at /ui and change it, or set ADMIN_PASSWORD.',
          '================================================================',
          '',
        ].join('\n') + '\n',
      );
    }
  }
}

import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { ErrorCode, type LoginResponse, type MeResponse } from '@keypool/shared';
import { ConflictError, UnauthorizedError } from '../../common/errors/app-error';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { AdminCredentials } from './admin-credentials.service';
import type { AdminTokenPayload } from './jwt.strategy';

export const TOKEN_LIFETIME_SECONDS = 12 * 60 * 60;

@Injectable()
export class AuthService {
  constructor(
    private readonly credentials: AdminCredentials,
    private readonly jwt: JwtService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async login(password: string): Promise<LoginResponse> {
    if (!(await this.credentials.verify(password))) {
      throw new UnauthorizedError('Wrong password', ErrorCode.InvalidCredentials);
    }
    return this.issueToken();
  }

  me(authenticated: boolean): MeResponse {
    return {
      authenticated,
      loginRequired: this.config.auth.requireAdminLogin,
      passwordManagedByEnv: this.credentials.passwordManagedByEnv(),
    };
  }

  /** Changes the password, revokes every older token and returns a fresh one for this session. */
  async changePassword(currentPassword: string, newPassword: string): Promise<LoginResponse> {
    if (this.credentials.passwordManagedByEnv()) {
      throw new ConflictError(
        ErrorCode.PasswordManagedByEnv,
        'The admin password is set by ADMIN_PASSWORD; change it there and restart',
      );
    }
    if (!(await this.credentials.verify(currentPassword))) {
      throw new UnauthorizedError('Wrong current password', ErrorCode.InvalidCredentials);
    }
    await this.credentials.changePassword(newPassword);
    return this.issueToken();
  }

  private issueToken(): LoginResponse {
    const payload: AdminTokenPayload = { sub: 'admin', tv: this.credentials.tokenVersion() };
    const accessToken = this.jwt.sign(payload, {
      secret: this.credentials.jwtSecret(),
      expiresIn: TOKEN_LIFETIME_SECONDS,
      algorithm: 'HS256',
    });
    return { accessToken, expiresIn: TOKEN_LIFETIME_SECONDS };
  }
}

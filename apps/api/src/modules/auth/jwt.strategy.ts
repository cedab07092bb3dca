import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { UnauthorizedError } from '../../common/errors/app-error';
import { AdminCredentials } from './admin-credentials.service';

export interface AdminTokenPayload {
  sub: 'admin';
  /** Token version: a password change bumps it, revoking older tokens. */
  tv: number;
}

export interface AdminPrincipal {
  role: 'admin';
}

@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(private readonly credentials: AdminCredentials) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      ignoreExpiration: false,
      algorithms: ['HS256'],
      secretOrKeyProvider: (
        _req: unknown,
        _token: unknown,
        done: (err: Error | null, secret?: string) => void,
      ) => done(null, credentials.jwtSecret()),
    });
  }

  async validate(payload: AdminTokenPayload): Promise<AdminPrincipal> {
    if (payload.sub !== 'admin' || payload.tv !== (await this.credentials.currentTokenVersion(payload.tv))) {
      throw new UnauthorizedError('This session was signed out; log in again');
    }
    return { role: 'admin' };
  }
}

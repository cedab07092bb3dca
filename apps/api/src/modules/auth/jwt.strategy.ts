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

/** The one route a browser opens with EventSource, which cannot send headers. */
const QUERY_TOKEN_PATH = '/api/stats/live';

/** `?access_token=` accepted only on the live stats stream; everywhere else the header is required. */
function liveStreamQueryToken(req: { url?: string; query?: unknown }): string | null {
  const path = (req.url ?? '').split('?')[0];
  const token = (req.query as Record<string, unknown> | undefined)?.access_token;
  return path === QUERY_TOKEN_PATH && typeof token === 'string' ? token : null;
}

@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(private readonly credentials: AdminCredentials) {
    super({
      jwtFromRequest: ExtractJwt.fromExtractors([
        ExtractJwt.fromAuthHeaderAsBearerToken(),
        liveStreamQueryToken,
      ]),
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

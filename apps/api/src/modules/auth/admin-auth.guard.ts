import { Inject, Injectable, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { AppError, UnauthorizedError } from '../../common/errors/app-error';
import { IS_PUBLIC } from '../../common/auth/public.decorator';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';

/** Global guard: every route needs an admin JWT unless it is `@Public()` or admin login is switched off. */
@Injectable()
export class AdminAuthGuard extends AuthGuard('jwt') {
  constructor(
    private readonly reflector: Reflector,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    super();
  }

  override canActivate(context: ExecutionContext) {
    if (context.getType() !== 'http') {
      return true;
    }
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (isPublic || !this.config.auth.requireAdminLogin) {
      return true;
    }
    return super.canActivate(context);
  }

  override handleRequest<T>(error: unknown, user: T, info: unknown): T {
    if (error instanceof AppError) {
      throw error;
    }
    if (error || !user) {
      const expired = info instanceof Error && info.name === 'TokenExpiredError';
      throw new UnauthorizedError(
        expired ? 'The admin session expired; log in again' : 'Admin login required',
      );
    }
    return user;
  }
}

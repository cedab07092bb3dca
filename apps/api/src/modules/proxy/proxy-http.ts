import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { AppConfig } from '../../config/app-config';

/**
 * Fastify-level setup the proxy routes need (raw body parsers, CORS for /v1, /api/v1, /v1beta).
 * Called by `configureHttp` before the app listens. (Placeholder; the proxy module fills it in.)
 */
export async function configureProxyHttp(_app: NestFastifyApplication, _config: AppConfig): Promise<void> {}

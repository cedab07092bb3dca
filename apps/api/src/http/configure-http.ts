import fastifyStatic from '@fastify/static';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { existsSync } from 'node:fs';
import { join, sep } from 'node:path';
import { GlobalExceptionFilter } from '../common/errors/global-exception.filter';
import { createValidationPipe } from '../common/validation/validation-pipe';
import type { AppConfig } from '../config/app-config';
import { configureProxyHttp } from '../modules/proxy/proxy-http';
import { addProxyPaths } from './proxy-openapi';

/** Where the built SPA lives: apps/web/dist next to this app. */
export function spaRoot(): string {
  return join(__dirname, '..', '..', '..', 'web', 'dist');
}

/** Everything about the HTTP surface that is not a controller: SPA hosting, Swagger, redirects. */
export async function configureHttp(app: NestFastifyApplication, config: AppConfig): Promise<void> {
  const fastify = app.getHttpAdapter().getInstance();
  // One filter for every surface: admin envelope under /api, the caller's dialect on the proxy routes.
  app.useGlobalFilters(new GlobalExceptionFilter());
  app.useGlobalPipes(createValidationPipe());
  await configureProxyHttp(app, config);

  const root = spaRoot();
  if (existsSync(join(root, 'index.html'))) {
    await fastify.register(fastifyStatic, {
      root,
      prefix: '/ui/',
      wildcard: false,
      index: ['index.html'],
      // The build writes .br/.gz next to every asset; send those to browsers that accept them.
      preCompressed: true,
      cacheControl: false,
      setHeaders: (res, path) => {
        // Asset names carry a content hash, so they never change; the shell must always be revalidated.
        res.header(
          'cache-control',
          path.includes(`${sep}assets${sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache',
        );
      },
    });
    // Client-side routes (/ui/keys, ...) all load the SPA shell.
    fastify.get('/ui/*', (_req, reply) =>
      reply.header('cache-control', 'no-cache').type('text/html').sendFile('index.html', root),
    );
    fastify.get('/ui', (_req, reply) => reply.redirect('/ui/'));
  } else {
    fastify.get('/ui*', (_req, reply) =>
      reply.code(503).type('text/plain').send('The admin UI is not built. Run the build (pnpm build) first.'),
    );
  }
  fastify.get('/', (_req, reply) => reply.redirect('/ui/'));

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('keypool')
      .setDescription('Admin API (/api, JWT) and OpenAI-compatible proxy (/v1, master or client key)')
      .setVersion(config.version)
      .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, 'admin')
      .addBearerAuth(
        {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'API key',
          description: 'MASTER_API_KEY or a client key; x-api-key, x-goog-api-key and ?key= work too',
        },
        'client',
      )
      .build(),
  );
  addProxyPaths(document);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
}

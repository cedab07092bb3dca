import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module';
import { ConfigError, loadConfig } from './config/load-config';
import { configureHttp } from './http/configure-http';

async function bootstrap(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`keypool: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(config),
    new FastifyAdapter({ bodyLimit: 50 * 1024 * 1024, trustProxy: config.http.trustProxy }),
    { logger: loggerLevels(config.log.level), bufferLogs: true },
  );
  await configureHttp(app, config);
  app.enableShutdownHooks();
  await app.listen(config.http.port, config.http.host);
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : config.http.port;
  // Test harnesses and operators read this line to learn the bound port (PORT=0 picks a free one).
  process.stdout.write(`keypool listening on http://${config.http.host}:${port}\n`);
}

function loggerLevels(level: string) {
  const order = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'] as const;
  return order.slice(0, order.indexOf(level as (typeof order)[number]) + 1);
}

bootstrap().catch((error: unknown) => {
  // Expected refusals (bad configuration) read as one line; anything else keeps its stack for the report.
  const detail =
    error instanceof ConfigError
      ? error.message
      : error instanceof Error
        ? (error.stack ?? error.message)
        : String(error);
  process.stderr.write(`keypool: failed to start: ${detail}\n`);
  process.exit(1);
});

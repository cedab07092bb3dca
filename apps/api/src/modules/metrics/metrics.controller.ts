import { Controller, Get, Inject, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '../../common/auth/public.decorator';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { metricsAuthorized } from './metrics-token.guard';
import { MetricsService } from './metrics.service';

/** Prometheus scrape endpoint; outside the admin JWT, behind the optional METRICS_TOKEN instead. */
@ApiExcludeController()
@Public()
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly metrics: MetricsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  async scrape(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    if (!metricsAuthorized(this.config.metricsToken, request.headers.authorization)) {
      await reply
        .code(401)
        .header('www-authenticate', 'Bearer')
        .type('text/plain')
        .send('metrics token required\n');
      return;
    }
    await reply.type(this.metrics.registry.contentType).send(await this.metrics.render());
  }
}

import { Controller, Get, Res } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { HealthResponse } from '@keypool/shared';
import type { FastifyReply } from 'fastify';
import { Public } from '../../common/auth/public.decorator';
import { HealthService } from './health.service';

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(private readonly healthService: HealthService) {}

  @Get()
  @ApiOkResponse({
    description:
      'Ready: the database answers; status "degraded" when a configured Redis does not (local state)',
  })
  @ApiServiceUnavailableResponse({ description: 'Not ready: the database is unreachable (status "down")' })
  async health(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthResponse> {
    const report = await this.healthService.report();
    reply.status(report.ready ? 200 : 503);
    return report.body;
  }

  /** Liveness only: the process answers. */
  @Get('live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }
}

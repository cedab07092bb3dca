import { Controller, Get, HttpCode, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { KeyStatsRow, LiveStatus, StatsSummary, TimeseriesResponse } from '@keypool/shared';
import type { FastifyReply } from 'fastify';
import { StatsQueryDto, TimeseriesQueryDto } from './dto/stats-query.dto';
import { LiveStatusService } from './live-status.service';
import { LiveStreamService } from './live-stream.service';
import { StatsService } from './stats.service';

@ApiTags('stats')
@ApiBearerAuth('admin')
@Controller('api/stats')
export class StatsController {
  constructor(
    private readonly stats: StatsService,
    private readonly live: LiveStatusService,
    private readonly stream: LiveStreamService,
  ) {}

  @Get('summary')
  @ApiOperation({ summary: 'Totals, error rate and latency percentiles for a range' })
  summary(@Query() query: StatsQueryDto): Promise<StatsSummary> {
    return this.stats.summary(query);
  }

  @Get('timeseries')
  @ApiOperation({ summary: 'Requests, errors, tokens and latency per time bucket, optionally grouped' })
  timeseries(@Query() query: TimeseriesQueryDto): Promise<TimeseriesResponse> {
    return this.stats.timeseries(query);
  }

  @Get('keys')
  @ApiOperation({ summary: 'Per-key usage in the range with the current state' })
  keys(@Query() query: StatsQueryDto): Promise<KeyStatsRow[]> {
    return this.stats.keys(query);
  }

  @Get('status')
  @ApiOperation({ summary: 'Live load-balancer status' })
  status(): LiveStatus {
    return this.live.status();
  }

  @Post('reset')
  @HttpCode(200)
  @ApiOperation({ summary: 'Zero the live counters (logs and stats are kept)' })
  reset(): LiveStatus {
    return this.live.reset();
  }

  @Get('live')
  @ApiProduces('text/event-stream')
  @ApiOperation({ summary: 'Server-Sent Events: `tick` (LiveTick) about once a second' })
  liveStream(@Res() reply: FastifyReply): void {
    reply.hijack();
    this.stream.open(reply.raw);
  }
}

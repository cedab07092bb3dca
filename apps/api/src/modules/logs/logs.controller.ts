import { Controller, Get, HttpCode, Param, ParseIntPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type {
  CleanupResponse,
  CursorPage,
  KeyEventResponse,
  RequestLogDetailResponse,
  RequestLogResponse,
} from '@keypool/shared';
import { ListKeyEventsQueryDto } from './dto/list-key-events-query.dto';
import { ListLogsQueryDto } from './dto/list-logs-query.dto';
import { LogsService } from './logs.service';

@ApiTags('logs')
@ApiBearerAuth('admin')
@Controller('api/logs')
export class LogsController {
  constructor(private readonly logs: LogsService) {}

  @Get()
  @ApiOperation({ summary: 'Request logs, newest first (cursor pagination)' })
  list(@Query() query: ListLogsQueryDto): Promise<CursorPage<RequestLogResponse>> {
    return this.logs.list(query);
  }

  @Get('events')
  @ApiOperation({ summary: 'Key events, newest first (cursor pagination)' })
  events(@Query() query: ListKeyEventsQueryDto): Promise<CursorPage<KeyEventResponse>> {
    return this.logs.listEvents(query);
  }

  @Post('cleanup')
  @HttpCode(200)
  @ApiOperation({ summary: 'Apply log retention now' })
  cleanup(): Promise<CleanupResponse> {
    return this.logs.pruneExpired();
  }

  @Get(':id')
  @ApiOperation({ summary: 'One request log with bodies' })
  get(@Param('id', ParseIntPipe) id: number): Promise<RequestLogDetailResponse> {
    return this.logs.get(id);
  }
}

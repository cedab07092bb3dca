import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ErrorCode, type UpstreamResponse } from '@keypool/shared';
import { ApiAdminErrors, ApiErrorBodyDto, ApiNotFound } from '../../common/swagger/api-errors.decorator';
import {
  CreateUpstreamDto,
  DeleteUpstreamQueryDto,
  UpdateUpstreamDto,
  UpstreamResponseDto,
} from './dto/upstream.dto';
import { UpstreamsService } from './upstreams.service';

@ApiTags('upstreams')
@ApiBearerAuth('admin')
@ApiAdminErrors()
@Controller('api/upstreams')
export class UpstreamsController {
  constructor(private readonly upstreams: UpstreamsService) {}

  @Get()
  @ApiOperation({ summary: 'List upstreams with their key counts' })
  @ApiOkResponse({ type: [UpstreamResponseDto] })
  list(): Promise<UpstreamResponse[]> {
    return this.upstreams.list();
  }

  @Post()
  @ApiOperation({ summary: 'Add an upstream (URL checked: cloud metadata addresses are refused)' })
  @ApiResponse({ status: 201, type: UpstreamResponseDto })
  @ApiResponse({ status: 409, description: 'DUPLICATE_RESOURCE', type: ApiErrorBodyDto })
  create(@Body() body: CreateUpstreamDto): Promise<UpstreamResponse> {
    return this.upstreams.create(body);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One upstream' })
  @ApiOkResponse({ type: UpstreamResponseDto })
  @ApiNotFound(ErrorCode.UpstreamNotFound)
  get(@Param('id') id: string): Promise<UpstreamResponse> {
    return this.upstreams.get(id);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change any field of an upstream' })
  @ApiOkResponse({ type: UpstreamResponseDto })
  @ApiNotFound(ErrorCode.UpstreamNotFound)
  update(@Param('id') id: string, @Body() body: UpdateUpstreamDto): Promise<UpstreamResponse> {
    return this.upstreams.update(id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete an upstream; with keys it needs ?force=true (deletes them too)' })
  @ApiResponse({ status: 204, description: 'Deleted' })
  @ApiResponse({ status: 409, description: 'UPSTREAM_HAS_KEYS', type: ApiErrorBodyDto })
  @ApiNotFound(ErrorCode.UpstreamNotFound)
  delete(@Param('id') id: string, @Query() query: DeleteUpstreamQueryDto): Promise<void> {
    return this.upstreams.delete(id, query.force ?? false);
  }
}

import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import {
  ErrorCode,
  type BulkAddKeysResponse,
  type ImportKeysResponse,
  type KeyExportFile,
  type KeyResponse,
  type KeyTestResponse,
} from '@keypool/shared';
import type { FastifyReply } from 'fastify';
import { ApiAdminErrors, ApiErrorBodyDto, ApiNotFound } from '../../common/swagger/api-errors.decorator';
import {
  BulkAddKeysDto,
  BulkAddKeysResponseDto,
  CreateKeyDto,
  ImportKeysResponseDto,
  ImportQueryDto,
  KeyExportFileDto,
  KeyListQueryDto,
  KeyResponseDto,
  KeyTestResponseDto,
  UpdateKeyDto,
} from './dto/key.dto';
import { KeyTransferService } from './key-transfer.service';
import { KeysService } from './keys.service';

@ApiTags('keys')
@ApiBearerAuth('admin')
@ApiAdminErrors()
@Controller('api/keys')
export class KeysController {
  constructor(
    private readonly keys: KeysService,
    private readonly transfer: KeyTransferService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'List keys (masked) with live state; filter by upstream, tag, status, search' })
  @ApiOkResponse({ type: [KeyResponseDto] })
  list(@Query() query: KeyListQueryDto): Promise<KeyResponse[]> {
    return this.keys.list(query);
  }

  @Post()
  @ApiOperation({ summary: 'Add one key to an upstream (stored encrypted)' })
  @ApiResponse({ status: 201, type: KeyResponseDto })
  @ApiResponse({
    status: 409,
    description: 'DUPLICATE_RESOURCE: the upstream already has this key',
    type: ApiErrorBodyDto,
  })
  @ApiNotFound(ErrorCode.UpstreamNotFound)
  create(@Body() body: CreateKeyDto): Promise<KeyResponse> {
    return this.keys.create(body);
  }

  @Post('bulk')
  @ApiOperation({
    summary: 'Add many keys (one per line) to an upstream; duplicates are skipped and reported',
  })
  @ApiResponse({ status: 201, type: BulkAddKeysResponseDto })
  @ApiNotFound(ErrorCode.UpstreamNotFound)
  bulkAdd(@Body() body: BulkAddKeysDto): Promise<BulkAddKeysResponse> {
    return this.keys.bulkAdd(body);
  }

  @Get('export')
  @ApiOperation({
    summary: 'Download every upstream and key with CLEAR secrets (keypool-export-YYYY-MM-DD.json)',
  })
  @ApiProduces('application/json')
  @ApiOkResponse({ type: KeyExportFileDto, description: 'Clear secrets: keep the file safe' })
  async export(@Res({ passthrough: true }) reply: FastifyReply): Promise<KeyExportFile> {
    const file = await this.transfer.export();
    const day = file.exportedAt.slice(0, 10);
    void reply.header('content-disposition', `attachment; filename="keypool-export-${day}.json"`);
    void reply.header('cache-control', 'no-store');
    return file;
  }

  @Post('import')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Import keys; idempotent (known keys are skipped)',
    description:
      'Accepts a keypool export (JSON), the seed load-balancer export (JSON array of {key, name, ...}), a plain text list ' +
      '(one key per line, text/plain) or `key:weight,key:weight`. Text may also be sent as JSON {"content": "..."}. ' +
      'Formats without upstreams need ?upstreamId=.',
  })
  @ApiConsumes('application/json', 'text/plain')
  @ApiBody({ schema: { oneOf: [{ type: 'object' }, { type: 'array' }, { type: 'string' }] } })
  @ApiOkResponse({ type: ImportKeysResponseDto })
  @ApiResponse({ status: 400, description: 'IMPORT_INVALID or VALIDATION_FAILED', type: ApiErrorBodyDto })
  @ApiNotFound(ErrorCode.UpstreamNotFound)
  import(@Body() body: unknown, @Query() query: ImportQueryDto): Promise<ImportKeysResponse> {
    return this.transfer.import(body, query.upstreamId);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One key (masked) with its live state' })
  @ApiOkResponse({ type: KeyResponseDto })
  @ApiNotFound(ErrorCode.KeyNotFound)
  get(@Param('id') id: string): Promise<KeyResponse> {
    return this.keys.get(id);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change name, weight, tags, limits or enabled' })
  @ApiOkResponse({ type: KeyResponseDto })
  @ApiNotFound(ErrorCode.KeyNotFound)
  update(@Param('id') id: string, @Body() body: UpdateKeyDto): Promise<KeyResponse> {
    return this.keys.update(id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a key' })
  @ApiResponse({ status: 204, description: 'Deleted' })
  @ApiNotFound(ErrorCode.KeyNotFound)
  delete(@Param('id') id: string): Promise<void> {
    return this.keys.delete(id);
  }

  @Post(':id/test')
  @HttpCode(200)
  @ApiOperation({
    summary: 'List models with this key: ok / invalid / rate_limited / unreachable, with latency',
  })
  @ApiOkResponse({ type: KeyTestResponseDto })
  @ApiNotFound(ErrorCode.KeyNotFound)
  test(@Param('id') id: string): Promise<KeyTestResponse> {
    return this.keys.test(id);
  }
}

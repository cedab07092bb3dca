import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ErrorCode, type ClientKeyResponse, type CreatedClientKeyResponse } from '@keypool/shared';
import { ApiAdminErrors, ApiNotFound } from '../../common/swagger/api-errors.decorator';
import { ClientKeysService } from './client-keys.service';
import {
  ClientKeyResponseDto,
  CreateClientKeyDto,
  CreatedClientKeyResponseDto,
  UpdateClientKeyDto,
} from './dto/client-key.dto';

@ApiTags('client-keys')
@ApiBearerAuth('admin')
@ApiAdminErrors()
@Controller('api/client-keys')
export class ClientKeysController {
  constructor(private readonly clientKeys: ClientKeysService) {}

  @Get()
  @ApiOperation({ summary: 'List the keys proxy clients use (masked)' })
  @ApiOkResponse({ type: [ClientKeyResponseDto] })
  list(): Promise<ClientKeyResponse[]> {
    return this.clientKeys.list();
  }

  @Post()
  @ApiOperation({ summary: 'Issue a client key; its secret is in this response only' })
  @ApiResponse({ status: 201, type: CreatedClientKeyResponseDto })
  create(@Body() body: CreateClientKeyDto): Promise<CreatedClientKeyResponse> {
    return this.clientKeys.create(body);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One client key (masked)' })
  @ApiOkResponse({ type: ClientKeyResponseDto })
  @ApiNotFound(ErrorCode.ClientKeyNotFound)
  get(@Param('id') id: string): Promise<ClientKeyResponse> {
    return this.clientKeys.get(id);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change name, rpm limit, allowed models, expiry or enabled' })
  @ApiOkResponse({ type: ClientKeyResponseDto })
  @ApiNotFound(ErrorCode.ClientKeyNotFound)
  update(@Param('id') id: string, @Body() body: UpdateClientKeyDto): Promise<ClientKeyResponse> {
    return this.clientKeys.update(id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke a client key' })
  @ApiResponse({ status: 204, description: 'Deleted' })
  @ApiNotFound(ErrorCode.ClientKeyNotFound)
  delete(@Param('id') id: string): Promise<void> {
    return this.clientKeys.delete(id);
  }
}

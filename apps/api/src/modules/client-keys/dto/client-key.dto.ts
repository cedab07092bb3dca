import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import type {
  ClientKeyResponse,
  CreateClientKeyRequest,
  CreatedClientKeyResponse,
  UpdateClientKeyRequest,
} from '@keypool/shared';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsISO8601,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';

export class CreateClientKeyDto implements CreateClientKeyRequest {
  @ApiProperty({ example: 'ci-bot' })
  @IsString()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @IsNotEmpty({ message: 'name must not be empty' })
  @MaxLength(100)
  name: string;

  @ApiPropertyOptional({ example: 60, nullable: true, description: 'Requests per minute; null = unlimited' })
  @IsOptional()
  @IsInt({ message: 'rpmLimit must be an integer from 1 to 100000, or null' })
  @Min(1, { message: 'rpmLimit must be an integer from 1 to 100000, or null' })
  @Max(100_000, { message: 'rpmLimit must be an integer from 1 to 100000, or null' })
  rpmLimit?: number | null;

  @ApiPropertyOptional({ example: ['gpt-4o*', 'fast'], description: 'Glob patterns; empty = every model' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @Matches(/^[A-Za-z0-9._:/@*?-]{1,200}$/, {
    each: true,
    message: 'each allowed model must be a model name or glob',
  })
  allowedModels?: string[];

  @ApiPropertyOptional({ example: '2027-01-01T00:00:00.000Z', nullable: true })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'expiresAt must be an ISO-8601 date-time or null' })
  expiresAt?: string | null;

  @ApiPropertyOptional({ example: true })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;
}

export class UpdateClientKeyDto extends PartialType(CreateClientKeyDto) implements UpdateClientKeyRequest {}

export class ClientKeyResponseDto implements ClientKeyResponse {
  @ApiProperty({ format: 'uuid' })
  id: string;
  @ApiProperty({ example: 'ci-bot' })
  name: string;
  @ApiProperty({ example: 'kp-…ab12' })
  maskedKey: string;
  @ApiProperty({ nullable: true, example: 60 })
  rpmLimit: number | null;
  @ApiProperty({ example: ['gpt-4o*'] })
  allowedModels: string[];
  @ApiProperty({ nullable: true })
  expiresAt: string | null;
  @ApiProperty()
  enabled: boolean;
  @ApiProperty({ nullable: true })
  lastUsedAt: string | null;
  @ApiProperty()
  createdAt: string;
}

export class CreatedClientKeyResponseDto extends ClientKeyResponseDto implements CreatedClientKeyResponse {
  @ApiProperty({ example: 'kp-3q2…', description: 'Shown only in this response; store it now' })
  secret: string;
}

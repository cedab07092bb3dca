import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import {
  SELECTION_STRATEGIES,
  UPSTREAM_FORMATS,
  type CreateUpstreamRequest,
  type ModelAlias,
  type SelectionStrategy,
  type UpdateUpstreamRequest,
  type UpstreamFormat,
  type UpstreamResponse,
} from '@keypool/shared';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';

export class ModelAliasDto implements ModelAlias {
  @ApiProperty({ example: 'fast', description: 'The name clients ask for' })
  @IsString()
  @Matches(/^[A-Za-z0-9._:/@-]{1,200}$/, { message: 'name must be a model name (letters, digits, ._:/@-)' })
  name: string;

  @ApiProperty({ example: 'gemini-2.0-flash', description: 'The model sent upstream' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  model: string;

  @ApiProperty({ example: 1, description: '1 is tried first; higher tiers are the fallback chain' })
  @IsInt({ message: 'tier must be an integer from 1 to 10' })
  @Min(1, { message: 'tier must be an integer from 1 to 10' })
  @Max(10, { message: 'tier must be an integer from 1 to 10' })
  tier: number;
}

export class CreateUpstreamDto implements CreateUpstreamRequest {
  @ApiProperty({ example: 'openai' })
  @IsString()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @IsNotEmpty({ message: 'name must not be empty' })
  @MaxLength(100)
  name: string;

  @ApiProperty({
    example: 'https://api.openai.com/v1',
    description: 'Includes the API version prefix; the client path after /v1 is appended',
  })
  @IsString()
  @MaxLength(2048)
  baseUrl: string;

  @ApiProperty({ enum: UPSTREAM_FORMATS, example: 'openai' })
  @IsIn(UPSTREAM_FORMATS, { message: `format must be one of: ${UPSTREAM_FORMATS.join(', ')}` })
  format: UpstreamFormat;

  @ApiPropertyOptional({
    example: ['gpt-*', 'o*'],
    description: 'Glob patterns of served models; default ["*"]',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @IsString({ each: true })
  @IsNotEmpty({ each: true })
  @MaxLength(200, { each: true })
  modelPatterns?: string[];

  @ApiPropertyOptional({ type: [ModelAliasDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => ModelAliasDto)
  aliases?: ModelAliasDto[];

  @ApiPropertyOptional({ enum: SELECTION_STRATEGIES, nullable: true, example: null })
  @IsOptional()
  @IsIn(SELECTION_STRATEGIES, { message: `strategy must be one of: ${SELECTION_STRATEGIES.join(', ')}` })
  strategy?: SelectionStrategy | null;

  @ApiPropertyOptional({
    example: 120000,
    nullable: true,
    description: 'Overrides the global request timeout (ms)',
  })
  @IsOptional()
  @IsInt({ message: 'timeoutMs must be an integer from 1000 to 3600000' })
  @Min(1000, { message: 'timeoutMs must be an integer from 1000 to 3600000' })
  @Max(3_600_000, { message: 'timeoutMs must be an integer from 1000 to 3600000' })
  timeoutMs?: number | null;

  @ApiPropertyOptional({ example: true })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;
}

export class UpdateUpstreamDto extends PartialType(CreateUpstreamDto) implements UpdateUpstreamRequest {}

export class DeleteUpstreamQueryDto {
  @ApiPropertyOptional({ example: false, description: "Also delete the upstream's keys" })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => value === 'true' || value === true || value === '1')
  @IsBoolean()
  force?: boolean;
}

export class UpstreamResponseDto implements UpstreamResponse {
  @ApiProperty({ format: 'uuid' })
  id: string;
  @ApiProperty({ example: 'openai' })
  name: string;
  @ApiProperty({ example: 'https://api.openai.com/v1' })
  baseUrl: string;
  @ApiProperty({ enum: UPSTREAM_FORMATS })
  format: UpstreamFormat;
  @ApiProperty({ example: ['*'] })
  modelPatterns: string[];
  @ApiProperty({ type: [ModelAliasDto] })
  aliases: ModelAlias[];
  @ApiProperty({ enum: SELECTION_STRATEGIES, nullable: true })
  strategy: SelectionStrategy | null;
  @ApiProperty({ nullable: true, example: null })
  timeoutMs: number | null;
  @ApiProperty()
  enabled: boolean;
  @ApiProperty({ example: 3 })
  keyCount: number;
  @ApiProperty({ example: '2026-11-21T10:00:00.000Z' })
  createdAt: string;
  @ApiProperty({ example: '2026-11-21T10:00:00.000Z' })
  updatedAt: string;
}

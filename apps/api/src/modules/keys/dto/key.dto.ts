import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import {
  BreakerState,
  KEY_STATUSES,
  SELECTION_STRATEGIES,
  type ModelAlias,
  type SelectionStrategy,
  type BulkAddKeysRequest,
  type BulkAddKeysResponse,
  type CreateKeyRequest,
  type ImportKeysResponse,
  type KeyListQuery,
  type KeyExportFile,
  type KeyLiveState,
  type KeyResponse,
  type KeyStatus,
  type KeyTestResponse,
  type KeyTestResult,
  type SkippedKey,
  type UpdateKeyRequest,
} from '@keypool/shared';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { SECRET_MAX_LENGTH } from '../key-secret';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

function Limit(name: string) {
  const message = `${name} must be a positive integer or null`;
  return (target: object, key: string) => {
    IsOptional()(target, key);
    IsInt({ message })(target, key);
    Min(1, { message })(target, key);
    ApiPropertyOptional({ example: null, nullable: true, minimum: 1 })(target, key);
  };
}

export class CreateKeyDto implements CreateKeyRequest {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'upstreamId must be an upstream id (UUID)' })
  upstreamId: string;

  @ApiProperty({
    example: 'sk-proj-abc123…',
    description: 'The provider key; stored encrypted, never returned',
  })
  @IsString()
  @Transform(trim)
  @IsNotEmpty({ message: 'secret must not be empty' })
  @MaxLength(SECRET_MAX_LENGTH)
  @Matches(/^[\x21-\x7e]+$/, { message: 'secret must not contain whitespace or non-ASCII characters' })
  secret: string;

  @ApiPropertyOptional({ example: 'team-a #1' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  name?: string;

  @ApiPropertyOptional({ example: 1, minimum: 1, maximum: 1000 })
  @IsOptional()
  @IsInt({ message: 'weight must be an integer from 1 to 1000' })
  @Min(1, { message: 'weight must be an integer from 1 to 1000' })
  @Max(1000, { message: 'weight must be an integer from 1 to 1000' })
  weight?: number;

  @ApiPropertyOptional({ example: ['free-tier'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @Matches(/^[\w.:-]{1,50}$/, { each: true, message: 'each tag must be 1-50 letters, digits or ._:-' })
  tags?: string[];

  @ApiPropertyOptional({ example: true })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;

  @Limit('rpmLimit')
  rpmLimit?: number | null;

  @Limit('tpmLimit')
  tpmLimit?: number | null;

  @Limit('dailyLimit')
  dailyLimit?: number | null;
}

export class UpdateKeyDto
  extends PartialType(OmitType(CreateKeyDto, ['upstreamId', 'secret'] as const))
  implements UpdateKeyRequest {}

export class KeyListQueryDto implements KeyListQuery {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'upstreamId must be a UUID' })
  upstreamId?: string;

  @ApiPropertyOptional({ example: 'free-tier' })
  @IsOptional()
  @IsString()
  tag?: string;

  @ApiPropertyOptional({ enum: KEY_STATUSES })
  @IsOptional()
  @IsIn(KEY_STATUSES, { message: `status must be one of: ${KEY_STATUSES.join(', ')}` })
  status?: KeyStatus;

  @ApiPropertyOptional({ description: 'Matches name, masked secret, tag, or an exact full secret' })
  @IsOptional()
  @IsString()
  @MaxLength(SECRET_MAX_LENGTH)
  search?: string;
}

export class BulkAddKeysDto implements BulkAddKeysRequest {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'upstreamId must be an upstream id (UUID)' })
  upstreamId: string;

  @ApiProperty({ example: 'sk-one…\nsk-two…', description: 'One secret per line; blank lines ignored' })
  @IsString()
  @MaxLength(5_000_000)
  secrets: string;

  @ApiPropertyOptional({ example: ['bulk'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @Matches(/^[\w.:-]{1,50}$/, { each: true, message: 'each tag must be 1-50 letters, digits or ._:-' })
  tags?: string[];

  @ApiPropertyOptional({ example: 1 })
  @IsOptional()
  @IsInt({ message: 'weight must be an integer from 1 to 1000' })
  @Min(1, { message: 'weight must be an integer from 1 to 1000' })
  @Max(1000, { message: 'weight must be an integer from 1 to 1000' })
  weight?: number;
}

export class ImportQueryDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Target upstream for formats that carry none' })
  @IsOptional()
  @IsUUID('all', { message: 'upstreamId must be an upstream id (UUID)' })
  upstreamId?: string;
}

export class KeyLiveStateDto implements KeyLiveState {
  @ApiProperty({ enum: KEY_STATUSES })
  status: KeyStatus;
  @ApiProperty({ nullable: true, example: null })
  cooldownUntil: string | null;
  @ApiProperty({ enum: Object.values(BreakerState) })
  breaker: BreakerState;
  @ApiProperty({ example: 0 })
  consecutiveFailures: number;
  @ApiProperty({ example: 0 })
  inFlight: number;
  @ApiProperty({ nullable: true })
  lastUsedAt: string | null;
  @ApiProperty({ example: 12 })
  requestsToday: number;
  @ApiProperty({ nullable: true })
  remainingRequests: number | null;
  @ApiProperty({ nullable: true })
  remainingTokens: number | null;
}

export class KeyResponseDto implements KeyResponse {
  @ApiProperty({ format: 'uuid' })
  id: string;
  @ApiProperty({ format: 'uuid' })
  upstreamId: string;
  @ApiProperty({ example: 'openai' })
  upstreamName: string;
  @ApiProperty({ example: 'sk-…abcd' })
  maskedSecret: string;
  @ApiProperty({ example: 'team-a #1' })
  name: string;
  @ApiProperty({ example: 1 })
  weight: number;
  @ApiProperty({ example: ['free-tier'] })
  tags: string[];
  @ApiProperty()
  enabled: boolean;
  @ApiProperty({ enum: ['manual', 'invalid'], nullable: true })
  disabledReason: 'manual' | 'invalid' | null;
  @ApiProperty({ type: KeyLiveStateDto })
  state: KeyLiveState;
  @ApiProperty({ nullable: true })
  rpmLimit: number | null;
  @ApiProperty({ nullable: true })
  tpmLimit: number | null;
  @ApiProperty({ nullable: true })
  dailyLimit: number | null;
  @ApiProperty()
  createdAt: string;
  @ApiProperty()
  updatedAt: string;
}

export class SkippedKeyDto implements SkippedKey {
  @ApiProperty({ example: 'sk-…abcd', description: 'Masked secret or position; never the clear secret' })
  key: string;
  @ApiProperty({ example: 'already in this upstream' })
  reason: string;
}

export class BulkAddKeysResponseDto implements BulkAddKeysResponse {
  @ApiProperty({ example: 2 })
  added: number;
  @ApiProperty({ type: [SkippedKeyDto] })
  skipped: SkippedKey[];
  @ApiProperty({ type: [KeyResponseDto] })
  keys: KeyResponse[];
}

export class ImportKeysResponseDto implements ImportKeysResponse {
  @ApiProperty({ example: 3 })
  added: number;
  @ApiProperty({ type: [SkippedKeyDto] })
  skipped: SkippedKey[];
  @ApiProperty({ type: [SkippedKeyDto] })
  invalid: SkippedKey[];
}

export class KeyTestResponseDto implements KeyTestResponse {
  @ApiProperty({ enum: ['ok', 'invalid', 'rate_limited', 'unreachable', 'error'] })
  result: KeyTestResult;
  @ApiProperty({ nullable: true, example: 200 })
  status: number | null;
  @ApiProperty({ example: 182 })
  latencyMs: number;
  @ApiProperty({ example: 'The key works (listed models)' })
  message: string;
  @ApiProperty({ example: false })
  reenabled: boolean;
}

export class ExportedKeyDto {
  @ApiProperty({ example: 'sk-proj-abc123…', description: 'The key in the clear' })
  plaintextSecret: string;
  @ApiProperty({ example: 'team-a #1' })
  name: string;
  @ApiProperty({ example: 1 })
  weight: number;
  @ApiProperty({ example: [] })
  tags: string[];
  @ApiProperty()
  enabled: boolean;
  @ApiProperty({ nullable: true })
  rpmLimit: number | null;
  @ApiProperty({ nullable: true })
  tpmLimit: number | null;
  @ApiProperty({ nullable: true })
  dailyLimit: number | null;
}

export class ExportedUpstreamDto {
  @ApiProperty({ example: 'openai' })
  name: string;
  @ApiProperty({ example: 'https://api.openai.com/v1' })
  baseUrl: string;
  @ApiProperty({ enum: ['openai', 'anthropic', 'gemini'] })
  format: 'openai' | 'anthropic' | 'gemini';
  @ApiProperty({ example: ['*'] })
  modelPatterns: string[];
  @ApiProperty({ required: false, example: [{ name: 'fast', model: 'gemini-2.0-flash', tier: 1 }] })
  aliases?: ModelAlias[];
  @ApiProperty({ required: false, nullable: true, enum: SELECTION_STRATEGIES })
  strategy?: SelectionStrategy | null;
  @ApiProperty({ required: false, nullable: true, example: 60000 })
  timeoutMs?: number | null;
  @ApiProperty({ required: false, example: true })
  enabled?: boolean;
  @ApiProperty({ type: [ExportedKeyDto] })
  keys: ExportedKeyDto[];
}

export class KeyExportFileDto implements KeyExportFile {
  @ApiProperty({ enum: ['keypool-export'] })
  format: 'keypool-export';
  @ApiProperty({ enum: [1] })
  version: 1;
  @ApiProperty({ example: '2026-11-21T10:00:00.000Z' })
  exportedAt: string;
  @ApiProperty({ type: [ExportedUpstreamDto] })
  upstreams: ExportedUpstreamDto[];
}

import { KEY_EVENT_TYPES, type KeyEventListQuery, type KeyEventType } from '@keypool/shared';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';

export class ListKeyEventsQueryDto implements KeyEventListQuery {
  @ApiPropertyOptional()
  @IsOptional()
  @IsISO8601()
  from?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsISO8601()
  to?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(36)
  keyId?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(36)
  upstreamId?: string;

  @ApiPropertyOptional({ enum: KEY_EVENT_TYPES })
  @IsOptional()
  @IsIn(KEY_EVENT_TYPES)
  type?: KeyEventType;

  @ApiPropertyOptional()
  @IsOptional()
  @Matches(/^\d{1,15}$/, { message: 'cursor must be a value returned as nextCursor' })
  cursor?: string;

  @ApiPropertyOptional({ default: 50, minimum: 1, maximum: 200 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;
}

import { STATUS_CLASSES, type LogListQuery, type StatusClass } from '@keypool/shared';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';

export class ListLogsQueryDto implements LogListQuery {
  @ApiPropertyOptional({ description: 'Requests started at or after this time (ISO-8601)' })
  @IsOptional()
  @IsISO8601()
  from?: string;

  @ApiPropertyOptional({ description: 'Requests started before this time (ISO-8601)' })
  @IsOptional()
  @IsISO8601()
  to?: string;

  @ApiPropertyOptional({ enum: STATUS_CLASSES })
  @IsOptional()
  @IsIn(STATUS_CLASSES)
  statusClass?: StatusClass;

  @ApiPropertyOptional()
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(999)
  status?: number;

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

  @ApiPropertyOptional({ description: 'Model as the client requested it' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  model?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(36)
  clientKeyId?: string;

  @ApiPropertyOptional({
    description:
      'Case-insensitive substring of path, model or error message (indexed from 3 characters; ' +
      'shorter terms only search the newest 100,000 requests)',
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  search?: string;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
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

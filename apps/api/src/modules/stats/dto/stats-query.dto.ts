import type { StatsBucket, StatsGroupBy, StatsQuery, StatsRange, TimeseriesQuery } from '@keypool/shared';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional } from 'class-validator';

const RANGES: StatsRange[] = ['1h', '24h', '7d', '30d', 'custom'];
const BUCKETS: StatsBucket[] = ['minute', 'hour', 'day'];
const GROUPS: StatsGroupBy[] = ['key', 'model', 'upstream', 'client', 'status'];

export class StatsQueryDto implements StatsQuery {
  @ApiPropertyOptional({ enum: RANGES, default: '24h' })
  @IsOptional()
  @IsIn(RANGES)
  range?: StatsRange;

  @ApiPropertyOptional({ description: 'Start (ISO-8601) when range=custom' })
  @IsOptional()
  @IsISO8601()
  from?: string;

  @ApiPropertyOptional({ description: 'End (ISO-8601) when range=custom' })
  @IsOptional()
  @IsISO8601()
  to?: string;
}

export class TimeseriesQueryDto extends StatsQueryDto implements TimeseriesQuery {
  @ApiPropertyOptional({ enum: BUCKETS, description: 'Default depends on the range' })
  @IsOptional()
  @IsIn(BUCKETS)
  bucket?: StatsBucket;

  @ApiPropertyOptional({ enum: GROUPS })
  @IsOptional()
  @IsIn(GROUPS)
  groupBy?: StatsGroupBy;
}

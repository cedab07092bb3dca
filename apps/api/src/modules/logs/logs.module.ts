import { Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { DataSource } from 'typeorm';
import { liveCountersByConfig } from '../cluster/cluster-live-counters';
import { SettingsModule } from '../settings/settings.module';
import { LiveCounters } from './live-counters';
import { LogWriter } from './log-writer.service';
import { LogsController } from './logs.controller';
import { LogsRepository } from './logs.repository';
import { LogsScheduler } from './logs.scheduler';
import { LogsService } from './logs.service';
import { createLogSqlExecutor } from './store/log-sql-executor';
import { LogStore } from './store/log-store';

@Module({
  imports: [ScheduleModule.forRoot(), SettingsModule],
  controllers: [LogsController],
  providers: [
    {
      provide: LogStore,
      inject: [DataSource],
      useFactory: (dataSource: DataSource) => new LogStore(createLogSqlExecutor(dataSource)),
    },
    // Summed over all replicas through Redis when REDIS_URL is set.
    liveCountersByConfig,
    LogWriter,
    LogsRepository,
    LogsService,
    LogsScheduler,
  ],
  exports: [LogWriter, LiveCounters, LogsService],
})
export class LogsModule {}

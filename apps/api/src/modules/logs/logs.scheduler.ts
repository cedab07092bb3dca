import { Injectable, Logger } from '@nestjs/common';
import { Cron, CronExpression } from '@nestjs/schedule';
import { LogsService } from './logs.service';

export const RETENTION_JOB = 'logs-retention';

/** Daily retention run; the logic lives in `LogsService.pruneExpired`. */
@Injectable()
export class LogsScheduler {
  private readonly logger = new Logger(LogsScheduler.name);

  constructor(private readonly logs: LogsService) {}

  @Cron(CronExpression.EVERY_DAY_AT_3AM, { name: RETENTION_JOB })
  async pruneDaily(): Promise<void> {
    try {
      await this.logs.pruneExpired();
    } catch (error) {
      this.logger.warn(`Scheduled retention failed: ${String(error)}`);
    }
  }
}

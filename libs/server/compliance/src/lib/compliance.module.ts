import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger, Module, OnApplicationBootstrap } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Job, Queue } from 'bullmq';
import { JobName, JobOf, QueueName } from '@dxtrain/shared/contracts';
import { AuditModule } from '@dxtrain/server/audit';
import { AppConfig, QueueModule } from '@dxtrain/server/platform';
import { ComplianceExportsService } from './compliance-exports.service';
import { ComplianceRefreshService } from './compliance-refresh.service';
import { ComplianceRemindersService } from './compliance-reminders.service';
import { ComplianceController } from './compliance.controller';
import { COMPLIANCE_ENTITIES } from './compliance.entity';
import { ComplianceService } from './compliance.service';
import { RequirementsReorganisationParticipant } from './reorganisation.participant';

const PROVIDERS = [ComplianceService, ComplianceRefreshService, ComplianceExportsService, ComplianceRemindersService];

/** The coverage dashboard (api side): `/api/compliance`. */
@Module({
  imports: [TypeOrmModule.forFeature(COMPLIANCE_ENTITIES), AuditModule, QueueModule],
  controllers: [ComplianceController],
  providers: [...PROVIDERS, RequirementsReorganisationParticipant],
  exports: [ComplianceService, ComplianceRefreshService],
})
export class ComplianceModule {}

/**
 * The `compliance` queue: the roll-up refresh (every COMPLIANCE_REFRESH_SECONDS: years with new facts),
 * reminders (COMPLIANCE_REMINDER_CRON) and export jobs.
 */
@Processor(QueueName.Compliance, { concurrency: 1, lockDuration: 120_000 })
export class ComplianceProcessor extends WorkerHost implements OnApplicationBootstrap {
  private readonly logger = new Logger(ComplianceProcessor.name);

  constructor(
    private readonly refresher: ComplianceRefreshService,
    private readonly reminders: ComplianceRemindersService,
    private readonly exports: ComplianceExportsService,
    private readonly config: AppConfig,
    @InjectQueue(QueueName.Compliance) private readonly queue: Queue,
  ) {
    super();
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.queue.upsertJobScheduler('compliance-refresh', { every: this.config.COMPLIANCE_REFRESH_SECONDS * 1000 }, { name: JobName.ComplianceRefresh, data: {} });
    await this.queue.upsertJobScheduler(
      'compliance-reminders',
      { pattern: this.config.COMPLIANCE_REMINDER_CRON, tz: 'Asia/Ho_Chi_Minh' },
      { name: JobName.ComplianceReminders, data: {} },
    );
  }

  async process(job: Job): Promise<unknown> {
    switch (job.name) {
      case JobName.ComplianceRefresh: {
        const { years } = job.data as JobOf<JobName.ComplianceRefresh>;
        if (years?.length) {
          await this.refresher.refresh(years);
          return { years };
        }
        const done = await this.refresher.refreshDue(this.config.COMPLIANCE_REFRESH_STALE_SECONDS);
        await this.exports.purgeOld();
        return { years: done };
      }
      case JobName.ComplianceReminders: {
        const sent = await this.reminders.run();
        this.logger.log(`reminders: ${sent.people} people, ${sent.managers} managers`);
        return sent;
      }
      case JobName.ComplianceExport: {
        const { exportId } = job.data as JobOf<JobName.ComplianceExport>;
        await this.exports.runJob(exportId);
        return { exportId };
      }
      default:
        throw new Error(`Unknown job ${job.name} on queue ${QueueName.Compliance}`);
    }
  }
}

/** Worker side: the processor, plus the refresh service for the events dispatcher. */
@Module({
  imports: [TypeOrmModule.forFeature(COMPLIANCE_ENTITIES), AuditModule, QueueModule],
  providers: [...PROVIDERS, ComplianceProcessor],
  exports: [ComplianceRefreshService],
})
export class ComplianceJobsModule {}

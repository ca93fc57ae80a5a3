import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger, Module, OnApplicationBootstrap } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Job, Queue } from 'bullmq';
import { JobName, JobOf, QueueName } from '@dxtrain/shared/contracts';
import { AuditModule } from '@dxtrain/server/audit';
import { QueueModule } from '@dxtrain/server/platform';
import { ENROLMENT_ENTITIES } from './enrolment.entity';
import { EnrolmentService } from './enrolment.service';
import { EnrolmentImportPipeline } from './import/import.pipeline';
import { OutboxService } from './outbox.service';

/**
 * Bulk imports and audience rules. A killed worker's job is redelivered after its lock expires
 * (lockDuration); the pipeline's chunk bookkeeping makes the redelivery a no-op or a clean redo.
 */
@Processor(QueueName.Enrolment, { concurrency: 2, lockDuration: 10_000, stalledInterval: 5_000, maxStalledCount: 5 })
export class EnrolmentProcessor extends WorkerHost implements OnApplicationBootstrap {
  private readonly logger = new Logger(EnrolmentProcessor.name);

  constructor(
    private readonly pipeline: EnrolmentImportPipeline,
    private readonly enrolments: EnrolmentService,
    @InjectQueue(QueueName.Enrolment) private readonly queue: Queue,
  ) {
    super();
  }

  /** Rules are re-evaluated every 15 minutes, catching people who joined, moved or changed category. */
  async onApplicationBootstrap(): Promise<void> {
    const data: JobOf<JobName.AudienceRulesEvaluate> = {};
    await this.queue.upsertJobScheduler('audience-rules', { every: 15 * 60 * 1000 }, { name: JobName.AudienceRulesEvaluate, data });
  }

  async process(job: Job): Promise<unknown> {
    switch (job.name) {
      case JobName.EnrolmentImportParse: {
        const { importId } = job.data as JobOf<JobName.EnrolmentImportParse>;
        await this.pipeline.parse(importId);
        return { importId };
      }
      case JobName.EnrolmentImportChunk: {
        const { importId, chunk, rows } = job.data as JobOf<JobName.EnrolmentImportChunk>;
        const done = await this.pipeline.processChunk(importId, chunk, rows);
        return { importId, chunk, done };
      }
      case JobName.AudienceRulesEvaluate: {
        const { ruleId } = job.data as JobOf<JobName.AudienceRulesEvaluate>;
        const enrolled = await this.enrolments.evaluateRules(ruleId);
        if (enrolled) this.logger.log(`audience rules enrolled ${enrolled} people`);
        return { enrolled };
      }
      default:
        throw new Error(`Unknown job ${job.name} on queue ${QueueName.Enrolment}`);
    }
  }
}

/** Sends the e-mail outbox; a scheduler flushes every minute so retries never depend on a new message. */
@Processor(QueueName.Notifications)
export class NotificationsProcessor extends WorkerHost implements OnApplicationBootstrap {
  constructor(
    private readonly outbox: OutboxService,
    @InjectQueue(QueueName.Notifications) private readonly queue: Queue,
  ) {
    super();
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.queue.upsertJobScheduler('outbox-flush', { every: 60 * 1000 }, { name: JobName.NotificationsFlush, data: {} });
  }

  async process(job: Job): Promise<unknown> {
    if (job.name !== JobName.NotificationsFlush) throw new Error(`Unknown job ${job.name} on queue ${QueueName.Notifications}`);
    return this.outbox.flush();
  }
}

@Module({
  imports: [TypeOrmModule.forFeature(ENROLMENT_ENTITIES), AuditModule, QueueModule],
  providers: [EnrolmentService, EnrolmentImportPipeline, OutboxService, EnrolmentProcessor, NotificationsProcessor],
  exports: [EnrolmentService, EnrolmentImportPipeline, OutboxService],
})
export class EnrolmentJobsModule {}

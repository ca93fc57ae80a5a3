import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger, Module, OnApplicationBootstrap } from '@nestjs/common';
import { Job, Queue } from 'bullmq';
import { JobName, JobOf, QueueName } from '@dxtrain/shared/contracts';
import { QueueModule } from '@dxtrain/server/platform';
import { AuthService } from './auth.service';
import { IdentityCoreModule } from './identity.module';

/** Housekeeping of the identity domain: expired refresh tokens are deleted nightly. */
@Processor(QueueName.Identity)
export class IdentityProcessor extends WorkerHost implements OnApplicationBootstrap {
  private readonly logger = new Logger(IdentityProcessor.name);

  constructor(
    private readonly auth: AuthService,
    @InjectQueue(QueueName.Identity) private readonly queue: Queue,
  ) {
    super();
  }

  /** Idempotent: every worker upserts the same scheduler. */
  async onApplicationBootstrap(): Promise<void> {
    const data: JobOf<JobName.PurgeExpiredRefreshTokens> = { olderThanDays: 1 };
    await this.queue.upsertJobScheduler('purge-expired-refresh-tokens', { pattern: '0 3 * * *', tz: 'Asia/Ho_Chi_Minh' }, { name: JobName.PurgeExpiredRefreshTokens, data });
  }

  async process(job: Job): Promise<unknown> {
    switch (job.name) {
      case JobName.PurgeExpiredRefreshTokens: {
        const { olderThanDays } = job.data as JobOf<JobName.PurgeExpiredRefreshTokens>;
        const deleted = await this.auth.purgeExpiredRefreshTokens(olderThanDays);
        this.logger.log(`Deleted ${deleted} expired refresh tokens`);
        return { deleted };
      }
      default:
        throw new Error(`Unknown job ${job.name} on queue ${QueueName.Identity}`);
    }
  }
}

@Module({
  imports: [IdentityCoreModule, QueueModule],
  providers: [IdentityProcessor],
})
export class IdentityJobsModule {}

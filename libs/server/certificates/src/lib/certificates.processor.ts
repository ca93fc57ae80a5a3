import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Job } from 'bullmq';
import { JobName, JobOf, QueueName } from '@dxtrain/shared/contracts';
import { CertificatesService } from './certificates.service';

/** Renders certificate PDFs (fonts parsed once per process, reused by every job). */
@Processor(QueueName.Certificates, { concurrency: 4 })
export class CertificatesProcessor extends WorkerHost implements OnApplicationBootstrap {
  private readonly logger = new Logger(CertificatesProcessor.name);

  constructor(private readonly certificates: CertificatesService) {
    super();
  }

  async onApplicationBootstrap(): Promise<void> {
    const queued = await this.certificates.queueMissingRenders();
    if (queued) this.logger.log(`queued ${queued} certificate PDFs that were never rendered`);
  }

  async process(job: Job): Promise<unknown> {
    switch (job.name) {
      case JobName.CertificateRender:
        return this.certificates.render((job.data as JobOf<JobName.CertificateRender>).certificateId);
      case JobName.CertificatesIssueBatch: {
        const { courseId, year } = job.data as JobOf<JobName.CertificatesIssueBatch>;
        return this.certificates.runBatch(courseId, year);
      }
      default:
        throw new Error(`unknown job ${job.name}`);
    }
  }
}

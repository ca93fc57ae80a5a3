import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Job } from 'bullmq';
import { CertificatesService } from '@dxtrain/server/certificates';
import { ComplianceRefreshService } from '@dxtrain/server/compliance';
import { EnrolmentService } from '@dxtrain/server/enrolment';
import { AttendanceService } from '@dxtrain/server/scheduling';
import { JobName, JobOf, QueueName } from '@dxtrain/shared/contracts';

/**
 * The one consumer of the `events` queue: hands each domain event to every domain that reacts to
 * it. Each handler is idempotent, so a retried job (one handler failed) is safe for the others.
 */
@Processor(QueueName.Events)
export class EventsProcessor extends WorkerHost {
  constructor(
    private readonly enrolments: EnrolmentService,
    private readonly certificates: CertificatesService,
    private readonly compliance: ComplianceRefreshService,
    private readonly classes: AttendanceService,
  ) {
    super();
  }

  async process(job: Job): Promise<unknown> {
    switch (job.name) {
      case JobName.CourseCompleted: {
        const event = job.data as JobOf<JobName.CourseCompleted>;
        await this.enrolments.onCourseCompleted(event);
        const certificateId = await this.certificates.onCourseCompleted(event);
        // A linked class whose attendance was already met completes once the course (final quiz) is.
        await this.classes.onCourseCompleted(event);
        // The coverage dashboard's fact table (idempotent on the completion id).
        await this.compliance.onCourseCompleted(event);
        return { certificateId };
      }
      case JobName.ClassCompleted: {
        const event = job.data as JobOf<JobName.ClassCompleted>;
        await this.compliance.onClassCompleted(event);
        const certificateId = await this.certificates.onClassCompleted(event);
        return { certificateId };
      }
      case JobName.PeopleChanged: {
        const enrolled = await this.enrolments.evaluateRules(undefined, job.data as JobOf<JobName.PeopleChanged>);
        return { enrolled };
      }
      default:
        return { ignored: job.name };
    }
  }
}

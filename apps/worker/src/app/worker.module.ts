import { Module } from '@nestjs/common';
import { CertificatesJobsModule } from '@dxtrain/server/certificates';
import { ComplianceJobsModule } from '@dxtrain/server/compliance';
import { EnrolmentJobsModule } from '@dxtrain/server/enrolment';
import { IdentityJobsModule } from '@dxtrain/server/identity';
import { PlatformModule } from '@dxtrain/server/platform';
import { SchedulingJobsModule } from '@dxtrain/server/scheduling';
import { EventsProcessor } from './events.processor';

/** Every domain's processors; the api enqueues, this process works. */
@Module({
  imports: [PlatformModule, IdentityJobsModule, EnrolmentJobsModule, CertificatesJobsModule, SchedulingJobsModule, ComplianceJobsModule],
  providers: [EventsProcessor],
})
export class WorkerModule {}

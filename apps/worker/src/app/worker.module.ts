import { Module } from '@nestjs/common';
import { EnrolmentJobsModule } from '@dxtrain/server/enrolment';
import { IdentityJobsModule } from '@dxtrain/server/identity';
import { PlatformModule } from '@dxtrain/server/platform';

/** Every domain's processors; the api enqueues, this process works. */
@Module({
  imports: [PlatformModule, IdentityJobsModule, EnrolmentJobsModule],
})
export class WorkerModule {}

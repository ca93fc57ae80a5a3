import { Module, OnApplicationBootstrap } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '@dxtrain/server/audit';
import { QueueModule } from '@dxtrain/server/platform';
import { AttendanceService } from './attendance.service';
import { ClassesService } from './classes.service';
import { InviteService } from './invite.service';
import { ClassesController, ClassRegistrationsController, ClassSessionsController, MyClassesController, PublicCalendarController } from './scheduling.controller';
import { SCHEDULING_ENTITIES } from './scheduling.entity';
import { ClassesReorganisationParticipant } from './reorganisation.participant';

/** Training classes (api side): classes, sessions, registrations, attendance, calendar. */
@Module({
  imports: [TypeOrmModule.forFeature(SCHEDULING_ENTITIES), AuditModule, QueueModule],
  controllers: [ClassesController, ClassSessionsController, ClassRegistrationsController, MyClassesController, PublicCalendarController],
  providers: [ClassesService, AttendanceService, InviteService, ClassesReorganisationParticipant],
  exports: [ClassesService, AttendanceService],
})
export class SchedulingModule {}

/**
 * The worker side: reacts to `course.completed` (via the worker's events dispatcher) and, at start,
 * publishes any `class.completed` whose publish did not reach Redis.
 */
@Module({
  imports: [TypeOrmModule.forFeature(SCHEDULING_ENTITIES), AuditModule, QueueModule],
  providers: [ClassesService, AttendanceService, InviteService],
  exports: [AttendanceService],
})
export class SchedulingJobsModule implements OnApplicationBootstrap {
  constructor(private readonly attendance: AttendanceService) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.attendance.publishPending();
  }
}

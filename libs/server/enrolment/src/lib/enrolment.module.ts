import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '@dxtrain/server/audit';
import { QueueModule } from '@dxtrain/server/platform';
import { AudienceRulesController, EnrolmentImportsController, EnrolmentsController, OutboxController } from './enrolment.controller';
import { ENROLMENT_ENTITIES } from './enrolment.entity';
import { EnrolmentService } from './enrolment.service';
import { EnrolmentImportService } from './import/import.service';
import { OutboxService } from './outbox.service';
import { AudienceRulesReorganisationParticipant } from './reorganisation.participant';

/** Enrolments, audience rules, bulk imports (api side) and the outbox. */
@Module({
  imports: [TypeOrmModule.forFeature(ENROLMENT_ENTITIES), AuditModule, QueueModule],
  controllers: [EnrolmentsController, AudienceRulesController, EnrolmentImportsController, OutboxController],
  providers: [EnrolmentService, EnrolmentImportService, OutboxService, AudienceRulesReorganisationParticipant],
  exports: [EnrolmentService],
})
export class EnrolmentModule {}

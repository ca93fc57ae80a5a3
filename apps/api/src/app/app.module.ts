import { Module } from '@nestjs/common';
import { AssessmentModule } from '@dxtrain/server/assessment';
import { AuditModule } from '@dxtrain/server/audit';
import { CatalogModule } from '@dxtrain/server/catalog';
import { CertificatesModule } from '@dxtrain/server/certificates';
import { ComplianceModule } from '@dxtrain/server/compliance';
import { EnrolmentModule } from '@dxtrain/server/enrolment';
import { IdentityModule } from '@dxtrain/server/identity';
import { OrganisationModule } from '@dxtrain/server/organisation';
import { PeopleModule } from '@dxtrain/server/people';
import { HealthModule, PlatformModule } from '@dxtrain/server/platform';
import { SchedulingModule } from '@dxtrain/server/scheduling';

/** The HTTP api: the platform plus every domain's controllers. */
@Module({
  imports: [PlatformModule, HealthModule, IdentityModule, OrganisationModule, PeopleModule, AuditModule, CatalogModule, AssessmentModule, EnrolmentModule, CertificatesModule, SchedulingModule, ComplianceModule],
})
export class AppModule {}

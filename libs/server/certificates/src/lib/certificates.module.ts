import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '@dxtrain/server/audit';
import { CatalogModule } from '@dxtrain/server/catalog';
import { QueueModule } from '@dxtrain/server/platform';
import { CERTIFICATE_ENTITIES } from './certificate.entity';
import { CertificateFileOwners } from './certificate-file-owners';
import { CertificatesController, CertificateTemplatesController, MyCertificatesController, PublicCertificatesController } from './certificates.controller';
import { CertificatesProcessor } from './certificates.processor';
import { CertificatesService } from './certificates.service';
import { CertificatesReorganisationParticipant } from './reorganisation.participant';

/** The api side: issuing on demand, lists, revoke/re-issue, public verification. */
@Module({
  imports: [TypeOrmModule.forFeature(CERTIFICATE_ENTITIES), AuditModule, QueueModule, CatalogModule],
  controllers: [PublicCertificatesController, CertificatesController, MyCertificatesController, CertificateTemplatesController],
  providers: [CertificatesService, CertificateFileOwners, CertificatesReorganisationParticipant],
  exports: [CertificatesService],
})
export class CertificatesModule {}

/** The worker side: issuing from `course.completed` (via the worker's events dispatcher) and rendering PDFs. */
@Module({
  imports: [TypeOrmModule.forFeature(CERTIFICATE_ENTITIES), AuditModule, QueueModule, CatalogModule],
  providers: [CertificatesService, CertificateFileOwners, CertificatesProcessor],
  exports: [CertificatesService],
})
export class CertificatesJobsModule {}

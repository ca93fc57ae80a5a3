import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '@dxtrain/server/audit';
import { QueueModule } from '@dxtrain/server/platform';
import { OrgUnitLineageEntity, OrgUnitPathEntity, ReorganisationPlanEntity } from './lineage.entity';
import { OrgUnitEntity } from './org-unit.entity';
import { OrganisationController } from './organisation.controller';
import { OrganisationService } from './organisation.service';
import { ReorganisationController } from './reorganisation/reorganisation.controller';
import { ReorganisationService } from './reorganisation/reorganisation.service';

@Module({
  imports: [TypeOrmModule.forFeature([OrgUnitEntity, OrgUnitLineageEntity, OrgUnitPathEntity, ReorganisationPlanEntity]), AuditModule, QueueModule, DiscoveryModule],
  controllers: [OrganisationController, ReorganisationController],
  providers: [OrganisationService, ReorganisationService],
  exports: [OrganisationService, ReorganisationService],
})
export class OrganisationModule {}

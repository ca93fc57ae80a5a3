import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '@dxtrain/server/audit';
import { OrganisationModule } from '@dxtrain/server/organisation';
import { QueueModule } from '@dxtrain/server/platform';
import { OrgUnitPeopleAdapterModule } from './org-unit-people.adapter';
import { PeopleController } from './people.controller';
import { PeopleService } from './people.service';
import { PersonEntity } from './person.entity';

@Module({
  imports: [TypeOrmModule.forFeature([PersonEntity]), OrganisationModule, AuditModule, OrgUnitPeopleAdapterModule, QueueModule],
  controllers: [PeopleController],
  providers: [PeopleService],
  exports: [PeopleService],
})
export class PeopleModule {}

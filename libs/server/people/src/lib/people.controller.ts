import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Page, PersonDetail, PersonSummary, STAFF_READER_ROLES } from '@dxtrain/shared/contracts';
import { Actor, CurrentActor, RequireRoles, SignedIn } from '@dxtrain/server/platform';
import { CreatePersonDto, StaffQueryDto, UpdatePersonDto } from './dto/person.dto';
import { PeopleService, STAFF_EDITOR_ROLES } from './people.service';

@ApiTags('staff')
@ApiBearerAuth()
@Controller('staff')
export class PeopleController {
  constructor(private readonly people: PeopleService) {}

  /** Staff of the caller's scope, or of `unitId`'s subtree; sorted the Vietnamese way. */
  @Get()
  @RequireRoles(...STAFF_READER_ROLES)
  list(@CurrentActor() actor: Actor, @Query() query: StaffQueryDto): Promise<Page<PersonSummary>> {
    return this.people.list(actor, query);
  }

  /** One person: a learner may read their own record only. */
  @SignedIn('own record, or staff readers within their subtree')

  @Get(':id')
  get(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<PersonDetail> {
    return this.people.get(actor, id);
  }

  @Post()
  @RequireRoles(...STAFF_EDITOR_ROLES)
  create(@CurrentActor() actor: Actor, @Body() dto: CreatePersonDto): Promise<PersonDetail> {
    return this.people.create(actor, dto);
  }

  @Patch(':id')
  @RequireRoles(...STAFF_EDITOR_ROLES)
  update(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdatePersonDto): Promise<PersonDetail> {
    return this.people.update(actor, id, dto);
  }

  @Post(':id/deactivate')
  @HttpCode(200)
  @RequireRoles(...STAFF_EDITOR_ROLES)
  deactivate(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<PersonDetail> {
    return this.people.setActive(actor, id, false);
  }

  @Post(':id/reactivate')
  @HttpCode(200)
  @RequireRoles(...STAFF_EDITOR_ROLES)
  reactivate(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<PersonDetail> {
    return this.people.setActive(actor, id, true);
  }
}

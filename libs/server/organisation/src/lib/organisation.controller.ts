import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { OrgUnitDetail, OrgUnitSummary, Role, STAFF_READER_ROLES, SubtreeEntry } from '@dxtrain/shared/contracts';
import { Actor, CurrentActor, RequireRoles } from '@dxtrain/server/platform';
import { CreateOrgUnitDto, MergeOrgUnitDto, MoveOrgUnitDto, OrgUnitListQueryDto, UpdateOrgUnitDto } from './dto/org-unit.dto';
import { OrganisationService } from './organisation.service';

const uuid = new ParseUUIDPipe();

@ApiTags('organisation')
@ApiBearerAuth()
@Controller('org-units')
@RequireRoles(...STAFF_READER_ROLES)
export class OrganisationController {
  constructor(private readonly organisation: OrganisationService) {}

  /** Top units of the caller's scope; `?parentId=` lists children; `?q=` searches. */
  @Get()
  list(@CurrentActor() actor: Actor, @Query() query: OrgUnitListQueryDto): Promise<OrgUnitSummary[]> {
    if (query.parentId) return this.organisation.listChildren(actor, query.parentId);
    if (query.q !== undefined) return this.organisation.search(actor, query.q);
    return this.organisation.listTop(actor);
  }

  @Get(':id')
  get(@CurrentActor() actor: Actor, @Param('id', uuid) id: string): Promise<OrgUnitDetail> {
    return this.organisation.getDetail(actor, id);
  }

  /** Every unit under this one (and itself), flat, parents before children. */
  @Get(':id/subtree')
  subtree(@CurrentActor() actor: Actor, @Param('id', uuid) id: string): Promise<SubtreeEntry[]> {
    return this.organisation.subtree(actor, id);
  }

  @Post()
  @RequireRoles(Role.Admin)
  create(@CurrentActor() actor: Actor, @Body() dto: CreateOrgUnitDto): Promise<OrgUnitDetail> {
    return this.organisation.create(actor, dto);
  }

  @Patch(':id')
  @RequireRoles(Role.Admin)
  update(@CurrentActor() actor: Actor, @Param('id', uuid) id: string, @Body() dto: UpdateOrgUnitDto): Promise<OrgUnitDetail> {
    return this.organisation.update(actor, id, dto);
  }

  @Post(':id/move')
  @RequireRoles(Role.Admin)
  move(@CurrentActor() actor: Actor, @Param('id', uuid) id: string, @Body() dto: MoveOrgUnitDto): Promise<OrgUnitDetail> {
    return this.organisation.move(actor, id, dto.newParentId);
  }

  @Post(':id/merge')
  @RequireRoles(Role.Admin)
  merge(@CurrentActor() actor: Actor, @Param('id', uuid) id: string, @Body() dto: MergeOrgUnitDto): Promise<OrgUnitDetail> {
    return this.organisation.merge(actor, id, dto);
  }
}

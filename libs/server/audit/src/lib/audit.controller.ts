import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { AuditEvent, MAX_PAGE, MAX_PAGE_SIZE, Page, Role } from '@dxtrain/shared/contracts';
import { Actor, CurrentActor, RequireRoles } from '@dxtrain/server/platform';
import { AuditService } from './audit.service';

export class AuditQueryDto {
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(MAX_PAGE) page?: number;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(MAX_PAGE_SIZE) pageSize?: number;
  @IsOptional() @IsString() @MaxLength(60) action?: string;
  @IsOptional() @IsString() @MaxLength(40) entityType?: string;
  @IsOptional() @IsString() @MaxLength(100) entityId?: string;
}

@ApiTags('audit')
@ApiBearerAuth()
@Controller('audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  /** The audit log, newest first (administrators: the events concerning their units). */
  @Get()
  @RequireRoles(Role.Admin)
  list(@CurrentActor() actor: Actor, @Query() query: AuditQueryDto): Promise<Page<AuditEvent>> {
    return this.audit.list(actor, query);
  }
}

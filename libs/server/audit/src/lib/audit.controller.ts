import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { AuditEvent, MAX_PAGE_SIZE, Page, Role } from '@dxtrain/shared/contracts';
import { RequireRoles } from '@dxtrain/server/platform';
import { AuditService } from './audit.service';

export class AuditQueryDto {
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) page?: number;
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

  /** The audit log, newest first (administrators). */
  @Get()
  @RequireRoles(Role.Admin)
  list(@Query() query: AuditQueryDto): Promise<Page<AuditEvent>> {
    return this.audit.list(query);
  }
}

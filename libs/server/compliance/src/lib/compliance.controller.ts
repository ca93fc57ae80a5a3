import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import {
  COMPLIANCE_EXEMPTION_ROLES,
  COMPLIANCE_READER_ROLES,
  COMPLIANCE_RULE_ROLES,
  ComplianceExportJob,
  ComplianceExportKind,
  CoverageReport,
  CoverageTrend,
  Exemption,
  Page,
  RequirementsList,
  TrainingRequirement,
  UntrainedPerson,
} from '@dxtrain/shared/contracts';
import { Actor, CurrentActor, DomainException, fileAnswer, RequireRoles } from '@dxtrain/server/platform';
import { ComplianceExportsService, ExportFile } from './compliance-exports.service';
import { ComplianceService } from './compliance.service';
import {
  CoverageQueryDto,
  CreateExemptionDto,
  CreateExportDto,
  CreateRequirementDto,
  ExemptionQueryDto,
  ExportQueryDto,
  TrendQueryDto,
  UntrainedQueryDto,
  UpdateRequirementDto,
} from './dto/compliance.dto';

const uuid = new ParseUUIDPipe();

function send(file: ExportFile): StreamableFile {
  return fileAnswer(file.body, file.contentType, `attachment; filename="${file.fileName}"`);
}

@ApiTags('compliance')
@ApiBearerAuth()
@Controller('compliance')
@RequireRoles(...COMPLIANCE_READER_ROLES)
export class ComplianceController {
  constructor(
    private readonly compliance: ComplianceService,
    private readonly exports: ComplianceExportsService,
  ) {}

  /** The unit (its whole subtree) and each direct child, for one year. */
  @Get()
  coverage(@CurrentActor() actor: Actor, @Query() q: CoverageQueryDto): Promise<CoverageReport> {
    return this.compliance.coverage(actor, q.year, q.unitId);
  }

  @Get('years')
  years(): Promise<{ first: number; current: number }> {
    return this.compliance.knownYears();
  }

  @Get('trend')
  trend(@CurrentActor() actor: Actor, @Query() q: TrendQueryDto): Promise<CoverageTrend> {
    return this.compliance.trend(actor, q.unitId);
  }

  @Get('untrained')
  untrained(@CurrentActor() actor: Actor, @Query() q: UntrainedQueryDto): Promise<Page<UntrainedPerson>> {
    return this.compliance.untrained(actor, q);
  }

  /** Direct downloads (≤ 5,000 rows; else EXPORT_TOO_LARGE: start a job). */
  @Get('export/:kind')
  async download(@CurrentActor() actor: Actor, @Param('kind') kind: string, @Query() q: ExportQueryDto): Promise<StreamableFile> {
    if (!['coverage', 'untrained', 'summary'].includes(kind)) throw DomainException.notFound();
    return send(await this.exports.download(actor, kind as ComplianceExportKind, q.format, q));
  }

  @Post('exports')
  @HttpCode(202)
  createExport(@CurrentActor() actor: Actor, @Body() dto: CreateExportDto): Promise<ComplianceExportJob> {
    return this.exports.createJob(actor, dto);
  }

  @Get('exports/:id')
  getExport(@CurrentActor() actor: Actor, @Param('id', uuid) id: string): Promise<ComplianceExportJob> {
    return this.exports.getJob(actor, id);
  }

  @Get('exports/:id/file')
  async exportFile(@CurrentActor() actor: Actor, @Param('id', uuid) id: string): Promise<StreamableFile> {
    return send(await this.exports.jobFile(actor, id));
  }

  @Get('requirements')
  requirements(@CurrentActor() actor: Actor, @Query() q: ExemptionQueryDto): Promise<RequirementsList> {
    return this.compliance.listRequirements(actor, q.year);
  }

  @Post('requirements')
  @RequireRoles(...COMPLIANCE_RULE_ROLES)
  createRequirement(@CurrentActor() actor: Actor, @Body() dto: CreateRequirementDto): Promise<TrainingRequirement> {
    return this.compliance.createRequirement(actor, dto);
  }

  @Patch('requirements/:id')
  @RequireRoles(...COMPLIANCE_RULE_ROLES)
  updateRequirement(@CurrentActor() actor: Actor, @Param('id', uuid) id: string, @Body() dto: UpdateRequirementDto): Promise<TrainingRequirement> {
    return this.compliance.updateRequirement(actor, id, dto);
  }

  @Get('exemptions')
  exemptions(@CurrentActor() actor: Actor, @Query() q: ExemptionQueryDto): Promise<Exemption[]> {
    return this.compliance.listExemptions(actor, q.year, q.unitId);
  }

  @Post('exemptions')
  @RequireRoles(...COMPLIANCE_EXEMPTION_ROLES)
  createExemption(@CurrentActor() actor: Actor, @Body() dto: CreateExemptionDto): Promise<Exemption> {
    return this.compliance.createExemption(actor, dto);
  }

  @Delete('exemptions/:id')
  @HttpCode(204)
  @RequireRoles(...COMPLIANCE_EXEMPTION_ROLES)
  deleteExemption(@CurrentActor() actor: Actor, @Param('id', uuid) id: string): Promise<void> {
    return this.compliance.deleteExemption(actor, id);
  }
}


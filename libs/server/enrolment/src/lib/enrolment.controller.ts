import {
  Body,
  Controller,
  Get,
  Header,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
  Query,
  StreamableFile,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiTags } from '@nestjs/swagger';
import { AudienceRule, ENROLMENT_MANAGER_ROLES, EnrolmentImportSummary, EnrolmentItem, ErrorCode, OutboxMessage, Page, Role } from '@dxtrain/shared/contracts';
import { Actor, CurrentActor, DomainException, fileAnswer, FileUpload, RequireRoles, tooLargeAs, SignedIn } from '@dxtrain/server/platform';
import { CreateAudienceRuleDto, CreateImportDto, EnrolDto, EnrolmentQueryDto, SelfEnrolDto, UpdateAudienceRuleDto } from './dto/enrolment.dto';
import { EnrolmentService } from './enrolment.service';
import { EnrolmentImportService, IMPORT_MAX_BYTES, UploadedImportFile } from './import/import.service';
import { OutboxService } from './outbox.service';

const uuid = new ParseUUIDPipe();


@ApiTags('enrolments')
@ApiBearerAuth()
@Controller('enrolments')
export class EnrolmentsController {
  constructor(private readonly enrolments: EnrolmentService) {}

  /** Managers: their subtree's enrolments; learners: their own. */
  @SignedIn("own, or the people a manager's grants cover")
  @Get()
  list(@CurrentActor() actor: Actor, @Query() q: EnrolmentQueryDto): Promise<Page<EnrolmentItem>> {
    return this.enrolments.list(actor, q);
  }

  @Post()
  @RequireRoles(...ENROLMENT_MANAGER_ROLES)
  enrol(@CurrentActor() actor: Actor, @Body() dto: EnrolDto): Promise<EnrolmentItem> {
    return this.enrolments.enrol(actor, dto);
  }

  @SignedIn("own, within the course's audience")

  @Post('self')
  selfEnrol(@CurrentActor() actor: Actor, @Body() dto: SelfEnrolDto): Promise<EnrolmentItem> {
    return this.enrolments.selfEnrol(actor, dto);
  }

  @SignedIn("own, or the people a manager's grants cover")

  @Post(':id/withdraw')
  @HttpCode(200)
  withdraw(@CurrentActor() actor: Actor, @Param('id', uuid) id: string): Promise<EnrolmentItem> {
    return this.enrolments.withdraw(actor, id);
  }
}

@ApiTags('enrolments')
@ApiBearerAuth()
@Controller('audience-rules')
@RequireRoles(...ENROLMENT_MANAGER_ROLES)
export class AudienceRulesController {
  constructor(private readonly enrolments: EnrolmentService) {}

  @Get()
  list(@CurrentActor() actor: Actor, @Query('courseId') courseId?: string): Promise<AudienceRule[]> {
    return this.enrolments.listRules(actor, courseId ? uuidOrThrow(courseId) : undefined);
  }

  @Post()
  create(@CurrentActor() actor: Actor, @Body() dto: CreateAudienceRuleDto): Promise<AudienceRule> {
    return this.enrolments.createRule(actor, dto);
  }

  @Patch(':id')
  update(@CurrentActor() actor: Actor, @Param('id', uuid) id: string, @Body() dto: UpdateAudienceRuleDto): Promise<AudienceRule> {
    return this.enrolments.updateRule(actor, id, dto);
  }
}

function uuidOrThrow(value: string): string {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value)) throw DomainException.badRequest(ErrorCode.ValidationFailed, [{ field: 'courseId', message: 'must be a UUID' }]);
  return value;
}

@ApiTags('enrolments')
@ApiBearerAuth()
@Controller('enrolment-imports')
@RequireRoles(...ENROLMENT_MANAGER_ROLES)
export class EnrolmentImportsController {
  constructor(private readonly imports: EnrolmentImportService) {}

  /** Upload a CSV/XLSX file; the worker processes it. Poll GET /api/enrolment-imports/:id. */
  @Post()
  @HttpCode(202)
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      properties: { file: { type: 'string', format: 'binary' }, courseId: { type: 'string' }, year: { type: 'integer' }, dryRun: { type: 'boolean' }, dueDate: { type: 'string' } },
    },
  })
  @UseInterceptors(tooLargeAs(ErrorCode.EnrolmentImportTooLarge), FileUpload('file', { maxBytes: IMPORT_MAX_BYTES, files: 1, fields: 10 }))
  create(@CurrentActor() actor: Actor, @UploadedFile() file: UploadedImportFile | undefined, @Body() dto: CreateImportDto): Promise<{ id: string }> {
    return this.imports.create(actor, file, dto);
  }

  @Get()
  list(@CurrentActor() actor: Actor): Promise<EnrolmentImportSummary[]> {
    return this.imports.list(actor);
  }

  @Get('template.csv')
  @Header('Content-Type', 'text/csv; charset=utf-8')
  @Header('Content-Disposition', 'attachment; filename="mau-ghi-danh.csv"')
  templateCsv(): string {
    return this.imports.templateCsv();
  }

  @Get('template.xlsx')
  async templateXlsx(): Promise<StreamableFile> {
    const body = await this.imports.templateXlsx();
    return fileAnswer(body, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'attachment; filename="mau-ghi-danh.xlsx"');
  }

  @Get(':id')
  get(@CurrentActor() actor: Actor, @Param('id', uuid) id: string): Promise<EnrolmentImportSummary> {
    return this.imports.get(actor, id);
  }

  @Get(':id/errors.csv')
  async errors(@CurrentActor() actor: Actor, @Param('id', uuid) id: string): Promise<StreamableFile> {
    const csv = await this.imports.errorsCsv(actor, id);
    return fileAnswer(csv, 'text/csv; charset=utf-8', `attachment; filename="loi-nhap-${id.slice(0, 8)}.csv"`);
  }
}

@ApiTags('admin')
@ApiBearerAuth()
@Controller('admin/outbox')
@RequireRoles(Role.Admin)
export class OutboxController {
  constructor(private readonly outbox: OutboxService) {}

  /** The newest e-mail addressed to people of the caller's units. */
  @Get()
  list(@CurrentActor() actor: Actor, @Query('status') status?: string): Promise<OutboxMessage[]> {
    if (status && !['pending', 'sent', 'held', 'failed'].includes(status)) {
      throw DomainException.badRequest(ErrorCode.ValidationFailed, [{ field: 'status', message: 'pending | sent | held | failed' }]);
    }
    return this.outbox.list(actor, status);
  }
}

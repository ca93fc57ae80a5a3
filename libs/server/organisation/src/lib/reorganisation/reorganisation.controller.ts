import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, StreamableFile, UploadedFile, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiTags } from '@nestjs/swagger';
import { ErrorCode, ReorganisationPlanSummary, ReorganisationReport, Role } from '@dxtrain/shared/contracts';
import { Actor, CurrentActor, DomainException, fileAnswer, FileUpload, RequireRoles, tooLargeAs } from '@dxtrain/server/platform';
import { ReorganisationUploadDto, TemplateQueryDto } from './reorganisation.dto';
import { ReorganisationService } from './reorganisation.service';

const uuid = new ParseUUIDPipe();
const PLAN_MAX_BYTES = 5 * 1024 * 1024;
const upload = () => FileUpload('file', { maxBytes: PLAN_MAX_BYTES, files: 1, fields: 5 });
const fileSchema = { schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' }, name: { type: 'string' } } } };

type Upload = { buffer: Buffer; originalname: string } | undefined;

function need(file: Upload): { buffer: Buffer; originalname: string } {
  if (!file) throw DomainException.badRequest(ErrorCode.ValidationFailed, [{ field: 'file', message: 'attach the plan (XLSX or CSV)' }]);
  return file;
}

/** Reorganisation plans (admins of the units concerned): template, dry run, apply, history. */
@ApiTags('organisation')
@ApiBearerAuth()
@Controller('reorganisations')
@RequireRoles(Role.Admin)
export class ReorganisationController {
  constructor(private readonly reorganisation: ReorganisationService) {}

  @Get()
  list(@CurrentActor() actor: Actor): Promise<ReorganisationPlanSummary[]> {
    return this.reorganisation.list(actor);
  }

  @Get('template.xlsx')
  async template(@Query() q: TemplateQueryDto): Promise<StreamableFile> {
    const body = await this.reorganisation.template(q.lang ?? 'vi');
    return fileAnswer(body, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', `attachment; filename="${q.lang === 'en' ? 'reorganisation-plan' : 'ke-hoach-sap-xep'}.xlsx"`);
  }

  /** Dry run: what the plan would change, or why each refused row is refused. Nothing is written. */
  @Post('check')
  @HttpCode(200)
  @ApiConsumes('multipart/form-data')
  @ApiBody(fileSchema)
  @UseInterceptors(tooLargeAs(ErrorCode.FileTooLarge), upload())
  check(@CurrentActor() actor: Actor, @UploadedFile() file: Upload, @Body() dto: ReorganisationUploadDto): Promise<ReorganisationReport> {
    return this.reorganisation.fromFile(actor, need(file), { dryRun: true, name: dto.name });
  }

  /** Applies the plan in one transaction (422 REORGANISATION_INVALID with the rows when any row is refused). */
  @Post()
  @ApiConsumes('multipart/form-data')
  @ApiBody(fileSchema)
  @UseInterceptors(tooLargeAs(ErrorCode.FileTooLarge), upload())
  apply(@CurrentActor() actor: Actor, @UploadedFile() file: Upload, @Body() dto: ReorganisationUploadDto): Promise<ReorganisationReport> {
    return this.reorganisation.fromFile(actor, need(file), { dryRun: false, name: dto.name });
  }

  @Get(':id')
  get(@CurrentActor() actor: Actor, @Param('id', uuid) id: string): Promise<ReorganisationReport> {
    return this.reorganisation.get(actor, id);
  }
}

import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  ParseIntPipe,
  ParseUUIDPipe,
  Patch,
  Post,
  Put,
  Query,
  Res,
  StreamableFile,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import { ApiBearerAuth, ApiConsumes, ApiTags } from '@nestjs/swagger';
import { AttemptView, ErrorCode, ItemAnalysisRow, QuestionImportResult, QuestionItem, QuizInfo, QuizResultRow, QuizSettings, QuizPreview } from '@dxtrain/shared/contracts';
import { COURSE_EDITOR_ROLES } from '@dxtrain/server/catalog';
import { Actor, CurrentActor, FileUpload, HttpReply, RequireRoles, tooLargeAs, SignedIn } from '@dxtrain/server/platform';
import { toCsv, writeXlsx } from '@dxtrain/server/spreadsheets';
import { AttemptsService } from './attempts.service';
import { questionTemplate } from './engine/table-import';
import { ImportQuestionsDto, QuestionQueryDto, QuestionUpsertDto, QuizDto, ResultsQueryDto, SaveResponseDto, UpdateQuizDto } from './dto/assessment.dto';
import { MAX_IMPORT_BYTES, QuestionsService } from './questions.service';
import { QuizzesService } from './quizzes.service';

const uuid = new ParseUUIDPipe();


@ApiTags('assessment')
@ApiBearerAuth()
@Controller('courses/:courseId')
@RequireRoles(...COURSE_EDITOR_ROLES)
export class CourseAssessmentController {
  constructor(
    private readonly questions: QuestionsService,
    private readonly quizzes: QuizzesService,
  ) {}

  @Get('questions')
  listQuestions(@CurrentActor() actor: Actor, @Param('courseId', uuid) courseId: string, @Query() query: QuestionQueryDto): Promise<QuestionItem[]> {
    return this.questions.list(actor, courseId, query);
  }

  @Post('questions')
  createQuestion(@CurrentActor() actor: Actor, @Param('courseId', uuid) courseId: string, @Body() dto: QuestionUpsertDto): Promise<QuestionItem> {
    return this.questions.create(actor, courseId, dto.definition);
  }

  /** Import a GIFT, Aiken, CSV or XLSX file; every line that could not be read is reported with its number. */
  @Post('questions/import')
  @HttpCode(200)
  @ApiConsumes('multipart/form-data')
  @UseInterceptors(tooLargeAs(ErrorCode.FileTooLarge), FileUpload('file', { maxBytes: MAX_IMPORT_BYTES, files: 1 }))
  importQuestions(
    @CurrentActor() actor: Actor,
    @Param('courseId', uuid) courseId: string,
    @Query() query: ImportQuestionsDto,
    @UploadedFile() file: { buffer: Buffer; originalname: string } | undefined,
  ): Promise<QuestionImportResult> {
    return this.questions.import(actor, courseId, file, query.format, query.dryRun === 'true');
  }

  /** The whole bank as Moodle GIFT text (ordering questions have no GIFT form and are listed in X-Skipped). */
  @Get('questions/export.gift')
  async exportGift(@CurrentActor() actor: Actor, @Param('courseId', uuid) courseId: string, @Res({ passthrough: true }) res: HttpReply): Promise<string> {
    const { text, skipped } = await this.questions.exportGift(actor, courseId);
    res.header('Content-Type', 'text/plain; charset=utf-8');
    res.header('Content-Disposition', 'attachment; filename="questions.gift.txt"');
    if (skipped.length) res.header('X-Skipped', String(skipped.length));
    return text;
  }

  /** The CSV / XLSX question template (Vietnamese headers, one example row per question type). */
  @Get('questions/template.csv')
  async templateCsv(@Res({ passthrough: true }) res: HttpReply): Promise<string> {
    const { headers, rows } = questionTemplate();
    res.header('Content-Type', 'text/csv; charset=utf-8');
    res.header('Content-Disposition', 'attachment; filename="mau-cau-hoi.csv"');
    return toCsv(headers, rows);
  }

  @Get('questions/template.xlsx')
  async templateXlsx(): Promise<StreamableFile> {
    const { headers, rows } = questionTemplate();
    const body = await writeXlsx([{ name: 'Câu hỏi', headers, rows }]);
    return new StreamableFile(body, { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', disposition: 'attachment; filename="mau-cau-hoi.xlsx"' });
  }

  @Get('quizzes')
  listQuizzes(@CurrentActor() actor: Actor, @Param('courseId', uuid) courseId: string): Promise<QuizSettings[]> {
    return this.quizzes.list(actor, courseId);
  }

  @Post('quizzes')
  createQuiz(@CurrentActor() actor: Actor, @Param('courseId', uuid) courseId: string, @Body() dto: QuizDto): Promise<QuizSettings> {
    return this.quizzes.create(actor, courseId, dto);
  }
}

@ApiTags('assessment')
@ApiBearerAuth()
@Controller('questions')
@RequireRoles(...COURSE_EDITOR_ROLES)
export class QuestionsController {
  constructor(private readonly questions: QuestionsService) {}

  @Put(':id')
  update(@CurrentActor() actor: Actor, @Param('id', uuid) id: string, @Body() dto: QuestionUpsertDto): Promise<QuestionItem> {
    return this.questions.update(actor, id, dto.definition);
  }

  @Delete(':id')
  @HttpCode(204)
  archive(@CurrentActor() actor: Actor, @Param('id', uuid) id: string): Promise<void> {
    return this.questions.archive(actor, id);
  }
}

@ApiTags('assessment')
@ApiBearerAuth()
@Controller('quizzes')
export class QuizzesController {
  constructor(
    private readonly quizzes: QuizzesService,
    private readonly attempts: AttemptsService,
  ) {}

  /** For learners: the quiz's rules, their attempts and grade. */
  @SignedIn("audience: a quiz of the caller's course version")
  @Get(':id')
  info(@CurrentActor() actor: Actor, @Param('id', uuid) id: string): Promise<QuizInfo> {
    return this.attempts.info(actor, id);
  }

  @Get(':id/settings')
  @RequireRoles(...COURSE_EDITOR_ROLES)
  settings(@CurrentActor() actor: Actor, @Param('id', uuid) id: string): Promise<QuizSettings> {
    return this.quizzes.get(actor, id);
  }

  @Patch(':id')
  @RequireRoles(...COURSE_EDITOR_ROLES)
  update(@CurrentActor() actor: Actor, @Param('id', uuid) id: string, @Body() dto: UpdateQuizDto): Promise<QuizSettings> {
    return this.quizzes.update(actor, id, dto);
  }

  /** Editors try the quiz as learners would see it, answers included; nothing is recorded (no attempt, no grade). */
  @Get(':id/preview')
  @RequireRoles(...COURSE_EDITOR_ROLES)
  preview(@CurrentActor() actor: Actor, @Param('id', uuid) id: string): Promise<QuizPreview> {
    return this.attempts.preview(actor, id);
  }

  /** Starts an attempt, or resumes the one in progress (only on a quiz of the published version the learner studies). */
  @SignedIn('audience: a quiz of the published version the caller studies')

  @Post(':id/attempts')
  @HttpCode(200)
  start(@CurrentActor() actor: Actor, @Param('id', uuid) id: string): Promise<AttemptView> {
    return this.attempts.start(actor, id);
  }

  @Get(':id/results')
  @RequireRoles(...COURSE_EDITOR_ROLES)
  async results(@CurrentActor() actor: Actor, @Param('id', uuid) id: string, @Query() query: ResultsQueryDto): Promise<QuizResultRow[] | StreamableFile> {
    if (!query.format || query.format === 'json') return this.quizzes.results(actor, id);
    const buffer = await this.quizzes.exportResults(actor, id, query.format);
    const type = query.format === 'csv' ? 'text/csv; charset=utf-8' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
    return new StreamableFile(buffer, { type, disposition: `attachment; filename="ket-qua.${query.format}"` });
  }

  @Get(':id/item-analysis')
  @RequireRoles(...COURSE_EDITOR_ROLES)
  itemAnalysis(@CurrentActor() actor: Actor, @Param('id', uuid) id: string): Promise<ItemAnalysisRow[]> {
    return this.quizzes.itemAnalysis(actor, id);
  }
}

@ApiTags('assessment')
@ApiBearerAuth()
@Controller('attempts')
export class AttemptsController {
  constructor(private readonly attempts: AttemptsService) {}

  @SignedIn("own attempt, or the course's editors")

  @Get(':id')
  get(@CurrentActor() actor: Actor, @Param('id', uuid) id: string): Promise<AttemptView> {
    return this.attempts.view(actor, id);
  }

  /** Autosave one answer. */
  @SignedIn('own attempt')

  @Put(':id/slots/:slot')
  save(@CurrentActor() actor: Actor, @Param('id', uuid) id: string, @Param('slot', ParseIntPipe) slot: number, @Body() dto: SaveResponseDto) {
    return this.attempts.save(actor, id, slot, dto.response);
  }

  /** Submit for grading; submitting again returns the same result. */
  @SignedIn('own attempt')

  @Post(':id/submit')
  @HttpCode(200)
  submit(@CurrentActor() actor: Actor, @Param('id', uuid) id: string): Promise<AttemptView> {
    return this.attempts.submit(actor, id);
  }
}

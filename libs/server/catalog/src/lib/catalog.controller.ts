import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Put, Query, Req, Res, UploadedFile, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiTags } from '@nestjs/swagger';
import { CourseDetail, CourseProgressSummary, CourseSummary, LessonDetail, MyLearningItem, Page, StoredFileInfo, CourseAudience } from '@dxtrain/shared/contracts';
import { Actor, AppConfig, CurrentActor, FileUpload, HttpReply, HttpRequest, isHttps, Public, RequireRoles, SignedIn } from '@dxtrain/server/platform';
import { CatalogService } from './catalog.service';
import { COURSE_EDITOR_ROLES } from './course-access';
import { CourseQueryDto, CreateCourseDto, LessonDto, LessonProgressDto, ReorderDto, SectionDto, UpdateDraftDto, UpdateLessonDto, CourseAudienceDto } from './dto/course.dto';
import { ProgressService } from './progress.service';
import { VIEWER_COOKIE } from './storage/file-access.service';
import { FilesService, UploadedTempFile } from './storage/files.service';

const uuid = new ParseUUIDPipe();

@ApiTags('courses')
@ApiBearerAuth()
@Controller('courses')
export class CoursesController {
  constructor(
    private readonly catalog: CatalogService,
    private readonly progress: ProgressService,
  ) {}

  /** The catalogue of published courses (`manage=true`: the courses the caller can edit, drafts included). */
  @SignedIn("audience: the caller's courses and the ones they edit")
  @Get()
  list(@CurrentActor() actor: Actor, @Query() query: CourseQueryDto): Promise<Page<CourseSummary>> {
    return this.catalog.list(actor, query);
  }

  @SignedIn("audience, or the course's editors")

  @Get(':id')
  async get(@CurrentActor() actor: Actor, @Param('id', uuid) id: string): Promise<CourseDetail> {
    const { learnerVersionId: _v, ...detail } = await this.catalog.detail(actor, id);
    return { ...detail, progress: actor.personId ? await this.progress.progressOf(actor.personId, id) : null };
  }

  @Post()
  @RequireRoles(...COURSE_EDITOR_ROLES)
  async create(@CurrentActor() actor: Actor, @Body() dto: CreateCourseDto): Promise<CourseDetail> {
    const id = await this.catalog.create(actor, dto);
    return this.get(actor, id);
  }

  @Patch(':id/draft')
  @RequireRoles(...COURSE_EDITOR_ROLES)
  async updateDraft(@CurrentActor() actor: Actor, @Param('id', uuid) id: string, @Body() dto: UpdateDraftDto): Promise<CourseDetail> {
    await this.catalog.updateDraft(actor, id, dto);
    return this.get(actor, id);
  }

  /** Who may take the course: the owner unit's subtree, named units (other provinces), or everyone. Not versioned. */
  @Put(':id/audience')
  @RequireRoles(...COURSE_EDITOR_ROLES)
  setAudience(@CurrentActor() actor: Actor, @Param('id', uuid) id: string, @Body() dto: CourseAudienceDto): Promise<CourseAudience> {
    return this.catalog.setAudience(actor, id, dto);
  }

  /** Starts a new draft version from the published one. */
  @Post(':id/draft')
  @RequireRoles(...COURSE_EDITOR_ROLES)
  async newDraft(@CurrentActor() actor: Actor, @Param('id', uuid) id: string): Promise<CourseDetail> {
    await this.catalog.newDraft(actor, id);
    return this.get(actor, id);
  }

  @Post(':id/publish')
  @HttpCode(200)
  @RequireRoles(...COURSE_EDITOR_ROLES)
  async publish(@CurrentActor() actor: Actor, @Param('id', uuid) id: string): Promise<CourseDetail> {
    await this.catalog.publish(actor, id);
    return this.get(actor, id);
  }

  @Post(':id/archive')
  @HttpCode(200)
  @RequireRoles(...COURSE_EDITOR_ROLES)
  async archive(@CurrentActor() actor: Actor, @Param('id', uuid) id: string): Promise<CourseDetail> {
    await this.catalog.archive(actor, id);
    return this.get(actor, id);
  }

  @Post(':id/sections')
  @RequireRoles(...COURSE_EDITOR_ROLES)
  async addSection(@CurrentActor() actor: Actor, @Param('id', uuid) id: string, @Body() dto: SectionDto): Promise<{ id: string }> {
    return { id: await this.catalog.addSection(actor, id, dto) };
  }

  @Put(':id/sections/order')
  @HttpCode(204)
  @RequireRoles(...COURSE_EDITOR_ROLES)
  reorderSections(@CurrentActor() actor: Actor, @Param('id', uuid) id: string, @Body() dto: ReorderDto): Promise<void> {
    return this.catalog.reorderSections(actor, id, dto);
  }

  @Patch(':id/sections/:sectionId')
  @HttpCode(204)
  @RequireRoles(...COURSE_EDITOR_ROLES)
  updateSection(@CurrentActor() actor: Actor, @Param('id', uuid) id: string, @Param('sectionId', uuid) sectionId: string, @Body() dto: SectionDto): Promise<void> {
    return this.catalog.updateSection(actor, id, sectionId, dto);
  }

  @Delete(':id/sections/:sectionId')
  @HttpCode(204)
  @RequireRoles(...COURSE_EDITOR_ROLES)
  removeSection(@CurrentActor() actor: Actor, @Param('id', uuid) id: string, @Param('sectionId', uuid) sectionId: string): Promise<void> {
    return this.catalog.removeSection(actor, id, sectionId);
  }

  @Post(':id/sections/:sectionId/lessons')
  @RequireRoles(...COURSE_EDITOR_ROLES)
  async addLesson(@CurrentActor() actor: Actor, @Param('id', uuid) id: string, @Param('sectionId', uuid) sectionId: string, @Body() dto: LessonDto): Promise<{ id: string }> {
    return { id: await this.catalog.addLesson(actor, id, sectionId, dto) };
  }

  @Put(':id/sections/:sectionId/lessons/order')
  @HttpCode(204)
  @RequireRoles(...COURSE_EDITOR_ROLES)
  reorderLessons(@CurrentActor() actor: Actor, @Param('id', uuid) id: string, @Param('sectionId', uuid) sectionId: string, @Body() dto: ReorderDto): Promise<void> {
    return this.catalog.reorderLessons(actor, id, sectionId, dto);
  }

  @Patch(':id/lessons/:lessonId')
  @HttpCode(204)
  @RequireRoles(...COURSE_EDITOR_ROLES)
  updateLesson(@CurrentActor() actor: Actor, @Param('id', uuid) id: string, @Param('lessonId', uuid) lessonId: string, @Body() dto: UpdateLessonDto): Promise<void> {
    return this.catalog.updateLesson(actor, id, lessonId, dto);
  }

  @Delete(':id/lessons/:lessonId')
  @HttpCode(204)
  @RequireRoles(...COURSE_EDITOR_ROLES)
  removeLesson(@CurrentActor() actor: Actor, @Param('id', uuid) id: string, @Param('lessonId', uuid) lessonId: string): Promise<void> {
    return this.catalog.removeLesson(actor, id, lessonId);
  }

  /** The learner starts (or resumes) the course on its current published version. */
  @SignedIn('audience')

  @Post(':id/start')
  @HttpCode(200)
  start(@CurrentActor() actor: Actor, @Param('id', uuid) id: string): Promise<CourseProgressSummary> {
    return this.progress.start(actor, id);
  }
}

@ApiTags('courses')
@ApiBearerAuth()
@Controller('lessons')
export class LessonsController {
  constructor(
    private readonly progress: ProgressService,
    private readonly files: FilesService,
    private readonly config: AppConfig,
  ) {}

  @SignedIn('audience: a lesson of the version the caller studies, or its editors')


  @Get(':id')
  async get(@CurrentActor() actor: Actor, @Param('id', uuid) id: string, @Req() req: HttpRequest, @Res({ passthrough: true }) res: HttpReply): Promise<LessonDetail> {
    const detail = await this.progress.lesson(actor, id);
    // A file's signed URL is bound to the caller: (re)set the viewer cookie that names them to /api/files.
    if (detail.fileUrl) {
      const cookie = this.files.access.viewerCookie(actor.userId, this.config.COOKIE_SECURE || isHttps(req));
      res.setCookie(cookie.name, cookie.value, cookie.options);
    }
    return detail;
  }

  /** Records a view, time spent, the resume position, and completion of non-quiz lessons. */
  @SignedIn('own')

  @Post(':id/progress')
  @HttpCode(200)
  record(@CurrentActor() actor: Actor, @Param('id', uuid) id: string, @Body() dto: LessonProgressDto): Promise<CourseProgressSummary> {
    return this.progress.recordLesson(actor, id, dto);
  }
}

@ApiTags('courses')
@ApiBearerAuth()
@Controller('me/learning')
export class MyLearningController {
  constructor(private readonly progress: ProgressService) {}

  /** "My learning": every course the caller started, with progress. */
  @SignedIn('own')

  @Get()
  list(@CurrentActor() actor: Actor): Promise<MyLearningItem[]> {
    return this.progress.myLearning(actor);
  }
}

@ApiTags('files')
@Controller('files')
export class FilesController {
  constructor(private readonly files: FilesService) {}

  /** Upload a lesson file (PDF, MP4, WebM, PNG, JPEG), checked by content, not by name. */
  @Post()
  @ApiBearerAuth()
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } } } })
  @RequireRoles(...COURSE_EDITOR_ROLES)
  // To a temporary file (never whole into memory), then into FileStorage; at most MAX_UPLOAD_MB.
  @UseInterceptors(FileUpload('file', { storage: 'disk', maxBytes: (config) => config.MAX_UPLOAD_MB * 1024 * 1024, files: 1, fields: 10 }))
  upload(@CurrentActor() actor: Actor, @UploadedFile() file: UploadedTempFile | undefined): Promise<StoredFileInfo> {
    return this.files.upload(actor, file);
  }

  /**
   * The file's bytes behind a signed, expiring URL (so `<video>` and the PDF viewer can load it
   * without a bearer header), bound to the file's owner and to the viewer: the viewer cookie set with
   * the lesson must name the user the URL was signed for. Supports HTTP range requests for seeking.
   */
  @Public()
  @Get(':id/content')
  async content(
    @Param('id', uuid) id: string,
    @Query('owner') owner: string,
    @Query('viewer') viewer: string,
    @Query('expires') expires: string,
    @Query('sig') sig: string,
    @Req() req: HttpRequest,
    @Res() res: HttpReply,
  ): Promise<void> {
    const file = await this.files.openSigned(id, { owner, viewer, expires, sig }, req.cookies?.[VIEWER_COOKIE]);
    const size = file.sizeBytes;
    res.header('Accept-Ranges', 'bytes');
    res.header('Content-Type', file.contentType);
    res.header('Cache-Control', 'private, max-age=3600');
    res.header('Content-Disposition', `inline; filename*=UTF-8''${encodeURIComponent(file.fileName)}`);
    const range = parseRange(req.headers.range, size);
    if (range === 'invalid') {
      res.header('Content-Range', `bytes */${size}`);
      res.status(416).send();
      return;
    }
    if (range) {
      res.header('Content-Range', `bytes ${range.start}-${range.end}/${size}`);
      res.header('Content-Length', String(range.end - range.start + 1));
      res.status(206);
    } else {
      res.header('Content-Length', String(size));
    }
    // The reply streams it (and destroys the stream if the client goes away).
    res.send(await this.files.read(file, range ?? undefined));
  }
}

/** Parses a single `bytes=` range (what browsers send for media); multi-range requests get the whole file. */
export function parseRange(header: string | undefined, size: number): { start: number; end: number } | null | 'invalid' {
  if (!header) return null;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m) return null;
  let start: number;
  let end: number;
  if (m[1] === '' && m[2] === '') return 'invalid';
  if (m[1] === '') {
    start = Math.max(0, size - Number(m[2]));
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  if (start > end || start >= size) return 'invalid';
  return { start, end };
}

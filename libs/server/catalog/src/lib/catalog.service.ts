import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { marked } from 'marked';
import sanitizeHtml from 'sanitize-html';
import { DataSource, EntityManager, In } from 'typeorm';
import {
  CourseAudience,
  CourseAudienceScope,
  CourseDetail,
  CourseStatus,
  CourseSummary,
  CourseVersionDetail,
  CourseVersionStatus,
  DEFAULT_PAGE_SIZE,
  ErrorCode,
  LessonContent,
  LessonKind,
  Page,
} from '@dxtrain/shared/contracts';
import { foldVietnamese } from '@dxtrain/shared/vietnamese';
import { AuditService } from '@dxtrain/server/audit';
import { likeEscape, OrgUnitEntity } from '@dxtrain/server/organisation';
import { Actor, DomainException, isPgError, PG_UNIQUE_VIOLATION } from '@dxtrain/server/platform';
import { COURSE_EDITOR_ROLES } from './course-access';
import { CourseEntity, CourseSectionEntity, CourseVersionEntity, LessonEntity } from './course.entity';
import { CourseQueryDto, CreateCourseDto, LessonDto, ReorderDto, SectionDto, UpdateDraftDto, UpdateLessonDto } from './dto/course.dto';
import { CourseProgressEntity } from './progress.entity';
import { FileAccessService } from './storage/file-access.service';
import { FileOwnerKind } from './storage/file-owner';

export interface LoadedCourse {
  course: CourseEntity;
  ownerUnit: OrgUnitEntity;
  canEdit: boolean;
}

/** Renders lesson Markdown to HTML that is safe to insert into the page. */
export function renderMarkdown(markdown: string): string {
  const html = marked.parse(markdown, { async: false, gfm: true }) as string;
  return sanitizeHtml(html, {
    allowedTags: sanitizeHtml.defaults.allowedTags.concat(['img', 'h1', 'h2', 'del']),
    allowedAttributes: { a: ['href', 'title'], img: ['src', 'alt', 'title'] },
    allowedSchemes: ['http', 'https', 'mailto'],
    transformTags: { a: sanitizeHtml.simpleTransform('a', { rel: 'noopener noreferrer', target: '_blank' }) },
  });
}

/**
 * Courses and their content. Content lives in versions: only a draft version is edited; publishing
 * makes it the version new learners get, and learners who started an older version keep it.
 */
@Injectable()
export class CatalogService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditService,
    private readonly fileAccess: FileAccessService,
  ) {}

  // ---- access ------------------------------------------------------------------------------

  async load(actor: Actor, courseId: string, manager: EntityManager = this.db.manager): Promise<LoadedCourse> {
    const course = await manager.getRepository(CourseEntity).findOneBy({ id: courseId });
    if (!course) throw DomainException.notFound(ErrorCode.CourseNotFound);
    const ownerUnit = await manager.getRepository(OrgUnitEntity).findOneByOrFail({ id: course.ownerUnitId });
    const canEdit = actor.covers(ownerUnit.path, COURSE_EDITOR_ROLES);
    // Learners see published courses meant for them; drafts exist only for their editors. Out of the audience looks missing.
    if (!canEdit && (course.publishedVersionId === null || !(await this.mayTake(actor, course, ownerUnit, manager)))) {
      throw DomainException.notFound(ErrorCode.CourseNotFound);
    }
    return { course, ownerUnit, canEdit };
  }

  /** The path of the caller's own unit (their staff record's), or null for an account without a person. */
  private async personPath(actor: Actor, manager: EntityManager = this.db.manager): Promise<string | null> {
    if (!actor.personId) return null;
    const [row] = (await manager.query(`SELECT u.path FROM people p JOIN org_units u ON u.id = p.org_unit_id WHERE p.id = $1 AND p.active`, [actor.personId])) as Array<{ path: string }>;
    return row?.path ?? null;
  }

  /**
   * May the caller take this course? Everyone-courses: yes; subtree: their unit is under the owner unit; units: under one
   * of the named units. Whoever already started it keeps it (an audience change never takes a course away mid-way).
   */
  async mayTake(actor: Actor, course: CourseEntity, ownerUnit: OrgUnitEntity, manager: EntityManager = this.db.manager): Promise<boolean> {
    if (course.audienceScope === CourseAudienceScope.Everyone) return true;
    if (actor.personId && (await manager.getRepository(CourseProgressEntity).existsBy({ personId: actor.personId, courseId: course.id }))) return true;
    const path = await this.personPath(actor, manager);
    if (!path) return false;
    if (course.audienceScope === CourseAudienceScope.Subtree) return path.startsWith(ownerUnit.path);
    if (course.audienceUnitIds.length === 0) return false;
    const units = await manager.getRepository(OrgUnitEntity).findBy({ id: In(course.audienceUnitIds) });
    return units.some((u) => path.startsWith(u.path));
  }

  /** Sets who may take the course (editors of it; audited). Units must exist; at most 50. */
  async setAudience(actor: Actor, courseId: string, dto: { scope: CourseAudienceScope; unitIds?: string[] }): Promise<CourseAudience> {
    const unitIds = dto.scope === CourseAudienceScope.Units ? [...new Set(dto.unitIds ?? [])] : [];
    await this.db.transaction(async (manager) => {
      const { course, canEdit } = await this.load(actor, courseId, manager);
      if (!canEdit) throw DomainException.forbidden();
      if (dto.scope === CourseAudienceScope.Units) {
        const found = unitIds.length ? await manager.getRepository(OrgUnitEntity).countBy({ id: In(unitIds) }) : 0;
        if (unitIds.length === 0 || found !== unitIds.length) {
          throw DomainException.badRequest(ErrorCode.OrgUnitNotFound, [{ field: 'unitIds', message: unitIds.length ? 'unknown unit' : 'name at least one unit' }]);
        }
      }
      await manager.getRepository(CourseEntity).update({ id: courseId }, { audienceScope: dto.scope, audienceUnitIds: unitIds });
      await this.audit.record(manager, actor, {
        action: 'course.audience_set',
        entityType: 'course',
        entityId: courseId,
        before: { scope: course.audienceScope, unitIds: course.audienceUnitIds },
        after: { scope: dto.scope, unitIds },
        orgUnitIds: [course.ownerUnitId],
      });
    });
    return this.audienceOf(courseId);
  }

  async audienceOf(courseId: string): Promise<CourseAudience> {
    const course = await this.db.getRepository(CourseEntity).findOneByOrFail({ id: courseId });
    const units = course.audienceUnitIds.length ? await this.db.getRepository(OrgUnitEntity).findBy({ id: In(course.audienceUnitIds) }) : [];
    return { scope: course.audienceScope, units: units.map((u) => ({ id: u.id, name: u.name })).sort((a, b) => a.name.localeCompare(b.name, 'vi')) };
  }

  async loadForEdit(actor: Actor, courseId: string, manager: EntityManager = this.db.manager): Promise<LoadedCourse & { draft: CourseVersionEntity }> {
    const loaded = await this.load(actor, courseId, manager);
    if (!loaded.canEdit) throw DomainException.forbidden();
    if (!loaded.course.draftVersionId) throw DomainException.conflict(ErrorCode.CourseNoDraft);
    const draft = await manager.getRepository(CourseVersionEntity).findOneByOrFail({ id: loaded.course.draftVersionId });
    return { ...loaded, draft };
  }

  // ---- reads -------------------------------------------------------------------------------

  async list(actor: Actor, query: CourseQueryDto): Promise<Page<CourseSummary>> {
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? DEFAULT_PAGE_SIZE;
    const params: unknown[] = [];
    const p = (v: unknown) => (params.push(v), `$${params.length}`);
    const where: string[] = [];
    if (query.manage === 'true') {
      const scopes = actor.scopePaths(COURSE_EDITOR_ROLES);
      if (scopes.length === 0) throw DomainException.forbidden();
      where.push(`(${scopes.map((s) => `u.path LIKE ${p(likeEscape(s) + '%')}`).join(' OR ')})`);
      // Editors see the draft's title when there is one.
      where.push('v.id = COALESCE(c.draft_version_id, c.published_version_id)');
    } else {
      where.push(`c.status = 'published'`, 'v.id = c.published_version_id');
      // Only courses the caller may take (their audience, or already started), and the ones they edit.
      const path = await this.personPath(actor);
      const pp = p(path);
      const pid = p(actor.personId);
      const editor = actor.scopePaths(COURSE_EDITOR_ROLES).map((s) => `u.path LIKE ${p(likeEscape(s) + '%')}`);
      where.push(`(c.audience_scope = 'everyone'
        OR (c.audience_scope = 'subtree' AND ${pp}::text LIKE u.path || '%')
        OR (c.audience_scope = 'units' AND EXISTS (SELECT 1 FROM org_units a WHERE a.id = ANY(c.audience_unit_ids) AND ${pp}::text LIKE a.path || '%'))
        OR EXISTS (SELECT 1 FROM course_progress cp WHERE cp.course_id = c.id AND cp.person_id = ${pid}::uuid)
        ${editor.length ? `OR ${editor.join(' OR ')}` : ''})`);
    }
    const needle = query.q ? foldVietnamese(query.q) : '';
    if (needle) where.push(`v.search_text LIKE ${p('%' + likeEscape(needle) + '%')}`);
    if (query.topic) where.push(`${p(query.topic)} = ANY(v.topics)`);
    if (query.audience) where.push(`(cardinality(v.audience_categories) = 0 OR ${p(query.audience)} = ANY(v.audience_categories))`);
    const filter = where.join(' AND ');
    const from = `FROM courses c JOIN course_versions v ON true JOIN org_units u ON u.id = c.owner_unit_id WHERE ${filter}`;
    const [rows, [{ total }]] = await Promise.all([
      this.db.query(
        `SELECT c.id, c.code, c.status, c.owner_unit_id, u.name AS owner_unit_name, c.draft_version_id, c.audience_scope,
                v.title, v.summary, v.periods, v.topics, v.audience_categories,
                (SELECT version FROM course_versions pv WHERE pv.id = c.published_version_id) AS published_version,
                (SELECT COUNT(*)::int FROM lessons l WHERE l.version_id = v.id) AS lesson_count
           ${from} ORDER BY v.title, c.code LIMIT ${p(pageSize)} OFFSET ${p((page - 1) * pageSize)}`,
        params,
      ),
      this.db.query(`SELECT COUNT(*)::int AS total ${from}`, params.slice(0, -2)),
    ]);
    return { items: rows.map(toSummary), total, page, pageSize };
  }

  async summary(courseId: string): Promise<CourseSummary> {
    const [row] = await this.db.query(
      `SELECT c.id, c.code, c.status, c.owner_unit_id, u.name AS owner_unit_name, c.draft_version_id, c.audience_scope,
              v.title, v.summary, v.periods, v.topics, v.audience_categories,
              (SELECT version FROM course_versions pv WHERE pv.id = c.published_version_id) AS published_version,
              (SELECT COUNT(*)::int FROM lessons l WHERE l.version_id = v.id) AS lesson_count
         FROM courses c JOIN org_units u ON u.id = c.owner_unit_id
         JOIN course_versions v ON v.id = COALESCE(c.published_version_id, c.draft_version_id)
        WHERE c.id = $1`,
      [courseId],
    );
    return toSummary(row);
  }

  async versionDetail(versionId: string, manager: EntityManager = this.db.manager): Promise<CourseVersionDetail> {
    const version = await manager.getRepository(CourseVersionEntity).findOneByOrFail({ id: versionId });
    const sections = await manager.getRepository(CourseSectionEntity).find({ where: { versionId }, order: { position: 'ASC' } });
    const lessons = await manager.getRepository(LessonEntity).find({ where: { versionId }, order: { position: 'ASC' } });
    return {
      id: version.id,
      version: version.version,
      status: version.status,
      title: version.title,
      summary: version.summary,
      periods: version.periods,
      periodMinutes: version.periodMinutes,
      topics: version.topics,
      audienceCategories: version.audienceCategories,
      audiencePositions: version.audiencePositions,
      finalQuizId: version.finalQuizId,
      publishedAt: version.publishedAt?.toISOString() ?? null,
      sections: sections.map((s) => ({
        id: s.id,
        title: s.title,
        position: s.position,
        lessons: lessons
          .filter((l) => l.sectionId === s.id)
          .map((l) => ({ id: l.id, title: l.title, kind: l.kind, required: l.required, durationMinutes: l.durationMinutes, position: l.position })),
      })),
    };
  }

  async detail(actor: Actor, courseId: string): Promise<Omit<CourseDetail, 'progress'> & { learnerVersionId: string | null }> {
    const { course, ownerUnit, canEdit } = await this.load(actor, courseId);
    const progress = actor.personId
      ? await this.db.getRepository(CourseProgressEntity).findOneBy({ personId: actor.personId, courseId })
      : null;
    const learnerVersionId = progress?.versionId ?? course.publishedVersionId;
    return {
      id: course.id,
      code: course.code,
      status: course.status,
      ownerUnitId: ownerUnit.id,
      ownerUnitName: ownerUnit.name,
      version: learnerVersionId ? await this.versionDetail(learnerVersionId) : null,
      draft: canEdit && course.draftVersionId ? await this.versionDetail(course.draftVersionId) : null,
      audience: await this.audienceOf(course.id),
      canEdit,
      learnerVersionId,
    };
  }

  // ---- authoring ---------------------------------------------------------------------------

  async create(actor: Actor, dto: CreateCourseDto): Promise<string> {
    const unit = await this.db.getRepository(OrgUnitEntity).findOneBy({ id: dto.ownerUnitId });
    if (!unit || !actor.covers(unit.path, COURSE_EDITOR_ROLES)) {
      throw new DomainException(ErrorCode.OrgUnitNotFound, 400, [{ field: 'ownerUnitId', message: 'unknown unit or outside your scope' }]);
    }
    return this.db
      .transaction(async (manager) => {
        const course = manager.getRepository(CourseEntity).create({
          code: dto.code,
          ownerUnitId: unit.id,
          status: CourseStatus.Draft,
          publishedVersionId: null,
          draftVersionId: null,
          createdBy: actor.userId,
        });
        await manager.getRepository(CourseEntity).insert(course);
        const version = await this.insertVersion(manager, course, 1, dto);
        await manager.getRepository(CourseEntity).update({ id: course.id }, { draftVersionId: version.id });
        await this.audit.record(manager, actor, { action: 'course.created', entityType: 'course', entityId: course.id, after: { code: dto.code, title: dto.title }, orgUnitIds: [unit.id] });
        return course.id;
      })
      .catch((err) => {
        if (isPgError(err, PG_UNIQUE_VIOLATION, 'UQ_courses_code')) throw DomainException.conflict(ErrorCode.CourseCodeTaken, [{ field: 'code', message: 'code already used' }]);
        throw err;
      });
  }

  private async insertVersion(manager: EntityManager, course: CourseEntity, number: number, fields: UpdateDraftDto & { title: string }): Promise<CourseVersionEntity> {
    const repo = manager.getRepository(CourseVersionEntity);
    const version = repo.create({
      courseId: course.id,
      version: number,
      status: CourseVersionStatus.Draft,
      title: fields.title,
      summary: fields.summary ?? '',
      periods: fields.periods ?? 1,
      periodMinutes: fields.periodMinutes ?? 45,
      topics: fields.topics ?? [],
      audienceCategories: fields.audienceCategories ?? [],
      audiencePositions: fields.audiencePositions ?? [],
      finalQuizId: fields.finalQuizId ?? null,
      searchText: foldVietnamese(`${fields.title} ${course.code} ${fields.summary ?? ''}`),
      publishedAt: null,
    });
    await repo.insert(version);
    return version;
  }

  async updateDraft(actor: Actor, courseId: string, dto: UpdateDraftDto): Promise<void> {
    await this.db.transaction(async (manager) => {
      const { course, draft } = await this.loadForEdit(actor, courseId, manager);
      if (dto.finalQuizId) await this.assertQuizOfCourse(manager, courseId, dto.finalQuizId, 'finalQuizId');
      const next = { ...draft, ...Object.fromEntries(Object.entries(dto).filter(([, v]) => v !== undefined)) } as CourseVersionEntity;
      next.searchText = foldVietnamese(`${next.title} ${course.code} ${next.summary}`);
      const { id, courseId: _c, version: _v, status: _s, createdAt: _t, publishedAt: _p, ...changes } = next;
      await manager.getRepository(CourseVersionEntity).update({ id }, changes);
      await this.audit.record(manager, actor, { action: 'course.draft_updated', entityType: 'course', entityId: courseId, after: dto as object, orgUnitIds: [course.ownerUnitId] });
    });
  }

  private async assertQuizOfCourse(manager: EntityManager, courseId: string, quizId: string, field: string): Promise<void> {
    const [row] = await manager.query(`SELECT 1 FROM quizzes WHERE id = $1 AND course_id = $2`, [quizId, courseId]);
    if (!row) throw new DomainException(ErrorCode.QuizNotFound, 400, [{ field, message: 'not a quiz of this course' }]);
  }

  async addSection(actor: Actor, courseId: string, dto: SectionDto): Promise<string> {
    return this.db.transaction(async (manager) => {
      const { draft } = await this.loadForEdit(actor, courseId, manager);
      const [{ next }] = await manager.query(`SELECT COALESCE(MAX(position), 0) + 1 AS next FROM course_sections WHERE version_id = $1`, [draft.id]);
      const section = manager.getRepository(CourseSectionEntity).create({ versionId: draft.id, title: dto.title, position: next });
      await manager.getRepository(CourseSectionEntity).insert(section);
      return section.id;
    });
  }

  private async draftSection(manager: EntityManager, draft: CourseVersionEntity, sectionId: string): Promise<CourseSectionEntity> {
    const section = await manager.getRepository(CourseSectionEntity).findOneBy({ id: sectionId, versionId: draft.id });
    if (!section) throw DomainException.notFound();
    return section;
  }

  async updateSection(actor: Actor, courseId: string, sectionId: string, dto: SectionDto): Promise<void> {
    await this.db.transaction(async (manager) => {
      const { draft } = await this.loadForEdit(actor, courseId, manager);
      await this.draftSection(manager, draft, sectionId);
      await manager.getRepository(CourseSectionEntity).update({ id: sectionId }, { title: dto.title });
    });
  }

  async removeSection(actor: Actor, courseId: string, sectionId: string): Promise<void> {
    await this.db.transaction(async (manager) => {
      const { draft } = await this.loadForEdit(actor, courseId, manager);
      await this.draftSection(manager, draft, sectionId);
      await manager.getRepository(LessonEntity).delete({ sectionId });
      await manager.getRepository(CourseSectionEntity).delete({ id: sectionId });
    });
  }

  async reorderSections(actor: Actor, courseId: string, dto: ReorderDto): Promise<void> {
    await this.db.transaction(async (manager) => {
      const { draft } = await this.loadForEdit(actor, courseId, manager);
      const sections = await manager.getRepository(CourseSectionEntity).findBy({ versionId: draft.id });
      assertSameSet(sections.map((s) => s.id), dto.ids);
      for (const [i, id] of dto.ids.entries()) await manager.getRepository(CourseSectionEntity).update({ id }, { position: i + 1 });
    });
  }

  private async lessonContent(manager: EntityManager, actor: Actor, courseId: string, kind: LessonKind, dto: Partial<LessonDto>): Promise<LessonContent> {
    const invalid = (field: string, message: string) => new DomainException(ErrorCode.LessonContentInvalid, 400, [{ field, message }]);
    switch (kind) {
      case LessonKind.Text:
        if (!dto.markdown?.trim()) throw invalid('markdown', 'a text lesson needs Markdown content');
        return { kind, markdown: dto.markdown };
      case LessonKind.Video:
        if (!dto.fileId && !dto.url) throw invalid('fileId', 'a video lesson needs an uploaded file or a URL');
        if (dto.fileId) await this.assertFile(manager, actor, courseId, dto.fileId, ['video/'], 'fileId');
        return { kind, fileId: dto.fileId ?? null, url: dto.fileId ? null : (dto.url ?? null) };
      case LessonKind.Document:
        if (!dto.fileId) throw invalid('fileId', 'a document lesson needs an uploaded PDF');
        await this.assertFile(manager, actor, courseId, dto.fileId, ['application/pdf'], 'fileId');
        return { kind, fileId: dto.fileId };
      case LessonKind.Link:
        if (!dto.url) throw invalid('url', 'a link lesson needs a URL');
        return { kind, url: dto.url };
      case LessonKind.Quiz:
        if (!dto.quizId) throw invalid('quizId', 'a quiz lesson needs a quiz');
        await this.assertQuizOfCourse(manager, courseId, dto.quizId, 'quizId');
        return { kind, quizId: dto.quizId };
    }
  }

  /** A lesson file must be the course's own, or a fresh upload of this editor (it becomes the course's): FileAccessService decides. */
  private async assertFile(manager: EntityManager, actor: Actor, courseId: string, fileId: string, types: string[], field: string): Promise<void> {
    await this.fileAccess.attach(manager, actor, fileId, { kind: FileOwnerKind.Course, id: courseId }, { field, types });
  }

  async addLesson(actor: Actor, courseId: string, sectionId: string, dto: LessonDto): Promise<string> {
    return this.db.transaction(async (manager) => {
      const { draft } = await this.loadForEdit(actor, courseId, manager);
      await this.draftSection(manager, draft, sectionId);
      const content = await this.lessonContent(manager, actor, courseId, dto.kind, dto);
      const [{ next }] = await manager.query(`SELECT COALESCE(MAX(position), 0) + 1 AS next FROM lessons WHERE section_id = $1`, [sectionId]);
      const lesson = manager.getRepository(LessonEntity).create({
        versionId: draft.id,
        sectionId,
        position: next,
        title: dto.title,
        kind: dto.kind,
        required: dto.required ?? true,
        durationMinutes: dto.durationMinutes ?? null,
        content,
      });
      await manager.getRepository(LessonEntity).insert(lesson);
      return lesson.id;
    });
  }

  async updateLesson(actor: Actor, courseId: string, lessonId: string, dto: UpdateLessonDto): Promise<void> {
    await this.db.transaction(async (manager) => {
      const { draft } = await this.loadForEdit(actor, courseId, manager);
      const lesson = await manager.getRepository(LessonEntity).findOneBy({ id: lessonId, versionId: draft.id });
      if (!lesson) throw DomainException.notFound(ErrorCode.LessonNotFound);
      const kind = dto.kind ?? lesson.kind;
      const contentFields = ['markdown', 'fileId', 'url', 'quizId'] as const;
      const touchesContent = dto.kind !== undefined || contentFields.some((f) => dto[f] !== undefined);
      const content = touchesContent ? await this.lessonContent(manager, actor, courseId, kind, { ...lesson.content, ...dto }) : lesson.content;
      const changes: Partial<LessonEntity> = { kind, content };
      if (dto.title !== undefined) changes.title = dto.title;
      if (dto.required !== undefined) changes.required = dto.required;
      if (dto.durationMinutes !== undefined) changes.durationMinutes = dto.durationMinutes;
      if (dto.sectionId && dto.sectionId !== lesson.sectionId) {
        await this.draftSection(manager, draft, dto.sectionId);
        const [{ next }] = await manager.query(`SELECT COALESCE(MAX(position), 0) + 1 AS next FROM lessons WHERE section_id = $1`, [dto.sectionId]);
        Object.assign(changes, { sectionId: dto.sectionId, position: next });
      }
      await manager.getRepository(LessonEntity).update({ id: lessonId }, changes);
    });
  }

  async removeLesson(actor: Actor, courseId: string, lessonId: string): Promise<void> {
    await this.db.transaction(async (manager) => {
      const { draft } = await this.loadForEdit(actor, courseId, manager);
      const result = await manager.getRepository(LessonEntity).delete({ id: lessonId, versionId: draft.id });
      if (!result.affected) throw DomainException.notFound(ErrorCode.LessonNotFound);
    });
  }

  async reorderLessons(actor: Actor, courseId: string, sectionId: string, dto: ReorderDto): Promise<void> {
    await this.db.transaction(async (manager) => {
      const { draft } = await this.loadForEdit(actor, courseId, manager);
      await this.draftSection(manager, draft, sectionId);
      const lessons = await manager.getRepository(LessonEntity).findBy({ sectionId });
      assertSameSet(lessons.map((l) => l.id), dto.ids);
      for (const [i, id] of dto.ids.entries()) await manager.getRepository(LessonEntity).update({ id }, { position: i + 1 });
    });
  }

  async publish(actor: Actor, courseId: string): Promise<void> {
    await this.db.transaction(async (manager) => {
      const { course, draft } = await this.loadForEdit(actor, courseId, manager);
      const lessons = await manager.getRepository(LessonEntity).findBy({ versionId: draft.id });
      const problems: Array<{ field: string; message: string }> = [];
      if (lessons.length === 0) problems.push({ field: 'lessons', message: 'the course has no lessons' });
      if (draft.finalQuizId) {
        const [{ n }] = await manager.query(`SELECT COUNT(*)::int AS n FROM quizzes WHERE id = $1 AND mode = 'graded'`, [draft.finalQuizId]);
        if (n === 0) problems.push({ field: 'finalQuizId', message: 'the final quiz must be a graded quiz' });
      }
      if (problems.length) throw DomainException.badRequest(ErrorCode.CourseNotPublishable, problems);
      if (course.publishedVersionId) {
        await manager.getRepository(CourseVersionEntity).update({ id: course.publishedVersionId }, { status: CourseVersionStatus.Superseded });
      }
      await manager.getRepository(CourseVersionEntity).update({ id: draft.id }, { status: CourseVersionStatus.Published, publishedAt: new Date() });
      await manager.getRepository(CourseEntity).update({ id: courseId }, { status: CourseStatus.Published, publishedVersionId: draft.id, draftVersionId: null });
      await this.audit.record(manager, actor, { action: 'course.published', entityType: 'course', entityId: courseId, after: { version: draft.version }, orgUnitIds: [course.ownerUnitId] });
    });
  }

  /** Starts editing a published course: a new draft version, a copy of the published one. */
  async newDraft(actor: Actor, courseId: string): Promise<void> {
    await this.db.transaction(async (manager) => {
      const { course, canEdit } = await this.load(actor, courseId, manager);
      if (!canEdit) throw DomainException.forbidden();
      if (course.draftVersionId) throw DomainException.conflict(ErrorCode.CourseDraftExists);
      const source = await manager.getRepository(CourseVersionEntity).findOneByOrFail({ id: course.publishedVersionId as string });
      const [{ max }] = await manager.query(`SELECT MAX(version) AS max FROM course_versions WHERE course_id = $1`, [courseId]);
      const draft = await this.insertVersion(manager, course, Number(max) + 1, source);
      const sections = await manager.getRepository(CourseSectionEntity).findBy({ versionId: source.id });
      const lessons = await manager.getRepository(LessonEntity).findBy({ versionId: source.id });
      for (const s of sections) {
        const copy = manager.getRepository(CourseSectionEntity).create({ versionId: draft.id, title: s.title, position: s.position });
        await manager.getRepository(CourseSectionEntity).insert(copy);
        const copies = lessons
          .filter((l) => l.sectionId === s.id)
          .map((l) => ({ ...l, id: undefined, versionId: draft.id, sectionId: copy.id }));
        if (copies.length) await manager.getRepository(LessonEntity).insert(copies);
      }
      await manager.getRepository(CourseEntity).update({ id: courseId }, { draftVersionId: draft.id });
      await this.audit.record(manager, actor, { action: 'course.draft_created', entityType: 'course', entityId: courseId, after: { version: draft.version }, orgUnitIds: [course.ownerUnitId] });
    });
  }

  async archive(actor: Actor, courseId: string): Promise<void> {
    await this.db.transaction(async (manager) => {
      const { course, canEdit } = await this.load(actor, courseId, manager);
      if (!canEdit) throw DomainException.forbidden();
      await manager.getRepository(CourseEntity).update({ id: courseId }, { status: CourseStatus.Archived });
      await this.audit.record(manager, actor, { action: 'course.archived', entityType: 'course', entityId: courseId, orgUnitIds: [course.ownerUnitId] });
    });
  }

  async lessonsOfVersion(versionId: string): Promise<LessonEntity[]> {
    return this.db.getRepository(LessonEntity).find({ where: { versionId }, order: { position: 'ASC' } });
  }

  async lessonsByIds(ids: string[]): Promise<LessonEntity[]> {
    return ids.length ? this.db.getRepository(LessonEntity).findBy({ id: In(ids) }) : [];
  }
}

function assertSameSet(existing: string[], given: string[]): void {
  const a = [...existing].sort();
  const b = [...new Set(given)].sort();
  if (a.length !== b.length || a.some((x, i) => x !== b[i])) {
    throw DomainException.badRequest(ErrorCode.ValidationFailed, [{ field: 'ids', message: 'must list every item exactly once' }]);
  }
}

interface SummaryRow {
  id: string;
  code: string;
  status: CourseStatus;
  owner_unit_id: string;
  owner_unit_name: string;
  draft_version_id: string | null;
  title: string;
  summary: string;
  periods: number;
  topics: string[];
  audience_categories: CourseSummary['audienceCategories'];
  audience_scope: CourseAudienceScope;
  published_version: number | null;
  lesson_count: number;
}

function toSummary(r: SummaryRow): CourseSummary {
  return {
    id: r.id,
    code: r.code,
    title: r.title,
    summary: r.summary,
    status: r.status,
    periods: r.periods,
    topics: r.topics,
    audienceCategories: r.audience_categories,
    audienceScope: r.audience_scope,
    ownerUnitId: r.owner_unit_id,
    ownerUnitName: r.owner_unit_name,
    publishedVersion: r.published_version,
    hasDraft: r.draft_version_id !== null,
    lessonCount: r.lesson_count,
  };
}

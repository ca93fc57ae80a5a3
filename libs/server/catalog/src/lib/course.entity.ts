import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { CourseAudienceScope, CourseStatus, CourseVersionStatus, LessonContent, LessonKind, NetworkCategory } from '@dxtrain/shared/contracts';

/** A course; its content lives in versions so that editing never changes what learners already did. */
@Entity('courses')
@Index('UQ_courses_code', ['code'], { unique: true })
@Index('IDX_courses_owner_unit', ['ownerUnitId'])
export class CourseEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'varchar', length: 50 })
  code!: string;

  @Column({ name: 'owner_unit_id', type: 'uuid' })
  ownerUnitId!: string;

  @Column({ type: 'varchar', length: 20 })
  status!: CourseStatus;

  /** The version new learners get; null until first published. */
  @Column({ name: 'published_version_id', type: 'uuid', nullable: true })
  publishedVersionId!: string | null;

  @Column({ name: 'draft_version_id', type: 'uuid', nullable: true })
  draftVersionId!: string | null;

  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdBy!: string | null;

  /** Who may take it once published (CourseAudienceScope); not versioned: it can change any time. */
  @Column({ name: 'audience_scope', type: 'varchar', length: 20, default: 'subtree' })
  audienceScope!: CourseAudienceScope;

  @Column({ name: 'audience_unit_ids', type: 'uuid', array: true, default: () => "'{}'" })
  audienceUnitIds!: string[];

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

@Entity('course_versions')
@Index('UQ_course_versions_course_version', ['courseId', 'version'], { unique: true })
export class CourseVersionEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'course_id', type: 'uuid' })
  courseId!: string;

  @Column({ type: 'int' })
  version!: number;

  @Column({ type: 'varchar', length: 20 })
  status!: CourseVersionStatus;

  @Column({ type: 'varchar', length: 255 })
  title!: string;

  @Column({ type: 'text', default: '' })
  summary!: string;

  /** Training hours in periods ("tiết"). */
  @Column({ type: 'int', default: 1 })
  periods!: number;

  @Column({ name: 'period_minutes', type: 'int', default: 45 })
  periodMinutes!: number;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  topics!: string[];

  @Column({ name: 'audience_categories', type: 'text', array: true, default: () => "'{}'" })
  audienceCategories!: NetworkCategory[];

  @Column({ name: 'audience_positions', type: 'text', array: true, default: () => "'{}'" })
  audiencePositions!: string[];

  /** The quiz whose pass completes the course (with the required lessons). */
  @Column({ name: 'final_quiz_id', type: 'uuid', nullable: true })
  finalQuizId!: string | null;

  /** Folded title, code and summary for diacritics-insensitive search. */
  @Column({ name: 'search_text', type: 'text', default: '' })
  searchText!: string;

  @Column({ name: 'published_at', type: 'timestamptz', nullable: true })
  publishedAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

@Entity('course_sections')
@Index('IDX_course_sections_version', ['versionId', 'position'])
export class CourseSectionEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'version_id', type: 'uuid' })
  versionId!: string;

  @Column({ type: 'int' })
  position!: number;

  @Column({ type: 'varchar', length: 255 })
  title!: string;
}

@Entity('lessons')
@Index('IDX_lessons_section', ['sectionId', 'position'])
@Index('IDX_lessons_version', ['versionId'])
export class LessonEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'version_id', type: 'uuid' })
  versionId!: string;

  @Column({ name: 'section_id', type: 'uuid' })
  sectionId!: string;

  @Column({ type: 'int' })
  position!: number;

  @Column({ type: 'varchar', length: 255 })
  title!: string;

  @Column({ type: 'varchar', length: 20 })
  kind!: LessonKind;

  @Column({ type: 'boolean', default: true })
  required!: boolean;

  @Column({ name: 'duration_minutes', type: 'int', nullable: true })
  durationMinutes!: number | null;

  @Column({ type: 'jsonb' })
  content!: LessonContent;
}

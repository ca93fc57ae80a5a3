import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/** One learner on one course: the version they study, where they are, and completion. */
@Entity('course_progress')
@Index('UQ_course_progress_person_course', ['personId', 'courseId'], { unique: true })
@Index('IDX_course_progress_course', ['courseId'])
export class CourseProgressEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'person_id', type: 'uuid' })
  personId!: string;

  @Column({ name: 'course_id', type: 'uuid' })
  courseId!: string;

  @Column({ name: 'version_id', type: 'uuid' })
  versionId!: string;

  @Column({ name: 'last_lesson_id', type: 'uuid', nullable: true })
  lastLessonId!: string | null;

  @Column({ name: 'time_spent_seconds', type: 'int', default: 0 })
  timeSpentSeconds!: number;

  @Column({ name: 'percent_complete', type: 'int', default: 0 })
  percentComplete!: number;

  @CreateDateColumn({ name: 'started_at', type: 'timestamptz' })
  startedAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  @Column({ name: 'completed_at', type: 'timestamptz', nullable: true })
  completedAt!: Date | null;

  /** Final quiz fraction (0..1) at completion. */
  @Column({ type: 'numeric', precision: 6, scale: 5, nullable: true })
  score!: string | null;
}

@Entity('lesson_progress')
@Index('UQ_lesson_progress_person_lesson', ['personId', 'lessonId'], { unique: true })
export class LessonProgressEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'person_id', type: 'uuid' })
  personId!: string;

  @Column({ name: 'lesson_id', type: 'uuid' })
  lessonId!: string;

  @Column({ name: 'course_id', type: 'uuid' })
  courseId!: string;

  @Column({ name: 'viewed_at', type: 'timestamptz' })
  viewedAt!: Date;

  @Column({ name: 'completed_at', type: 'timestamptz', nullable: true })
  completedAt!: Date | null;

  @Column({ name: 'time_spent_seconds', type: 'int', default: 0 })
  timeSpentSeconds!: number;

  /** Where to resume: e.g. { seconds: 312 } for a video, { page: 4 } for a document. */
  @Column({ type: 'jsonb', nullable: true })
  position!: Record<string, unknown> | null;
}

/**
 * A course completion, recorded once per person, course and training (calendar) year — the fact
 * that certificates and the 2030 coverage figures are built on.
 */
@Entity('course_completions')
@Index('UQ_course_completions_person_course_year', ['personId', 'courseId', 'trainingYear'], { unique: true })
export class CourseCompletionEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'person_id', type: 'uuid' })
  personId!: string;

  @Column({ name: 'course_id', type: 'uuid' })
  courseId!: string;

  @Column({ name: 'version_id', type: 'uuid' })
  versionId!: string;

  @Column({ name: 'training_year', type: 'int' })
  trainingYear!: number;

  @Column({ name: 'completed_at', type: 'timestamptz' })
  completedAt!: Date;

  @Column({ type: 'numeric', precision: 6, scale: 5, nullable: true })
  score!: string | null;
}

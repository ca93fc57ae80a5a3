import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { GradedResponse, QuestionDefinition, QuestionResponse, QuestionView } from '@dxtrain/shared/contracts';

/** A question of a course's question bank. Attempts keep their own snapshot, so edits never regrade. */
@Entity('questions')
@Index('IDX_questions_course_category', ['courseId', 'category'])
export class QuestionEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'course_id', type: 'uuid' })
  courseId!: string;

  @Column({ type: 'varchar', length: 200, default: '' })
  category!: string;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  tags!: string[];

  @Column({ type: 'varchar', length: 30 })
  type!: string;

  @Column({ type: 'jsonb' })
  definition!: QuestionDefinition;

  @Column({ type: 'boolean', default: false })
  archived!: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

export type QuizSelection = { mode: 'fixed'; questionIds: string[] } | { mode: 'random'; draws: Array<{ category: string; count: number }> };

export interface QuizReviewOptions {
  /** When the learner sees their score. */
  score: 'after_submit' | 'after_close' | 'never';
  /** When the learner sees the correct answers and feedback. */
  answers: 'after_submit' | 'after_close' | 'never';
}

@Entity('quizzes')
@Index('IDX_quizzes_course', ['courseId'])
export class QuizEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'course_id', type: 'uuid' })
  courseId!: string;

  @Column({ type: 'varchar', length: 255 })
  title!: string;

  /** practice = self-test: unlimited attempts, immediate feedback, never counts for completion. */
  @Column({ type: 'varchar', length: 20 })
  mode!: 'practice' | 'graded';

  @Column({ type: 'jsonb' })
  selection!: QuizSelection;

  @Column({ name: 'shuffle_questions', type: 'boolean', default: false })
  shuffleQuestions!: boolean;

  @Column({ name: 'shuffle_options', type: 'boolean', default: true })
  shuffleOptions!: boolean;

  @Column({ name: 'time_limit_seconds', type: 'int', nullable: true })
  timeLimitSeconds!: number | null;

  @Column({ name: 'open_at', type: 'timestamptz', nullable: true })
  openAt!: Date | null;

  @Column({ name: 'close_at', type: 'timestamptz', nullable: true })
  closeAt!: Date | null;

  @Column({ name: 'max_attempts', type: 'int', nullable: true })
  maxAttempts!: number | null;

  @Column({ name: 'grading_method', type: 'varchar', length: 10, default: 'highest' })
  gradingMethod!: 'highest' | 'last' | 'first' | 'average';

  /** Fraction needed to pass (default 0.5 = 5/10, Vietnamese civil-service rule). */
  @Column({ name: 'pass_mark', type: 'numeric', precision: 4, scale: 3 })
  passMark!: string;

  @Column({ type: 'jsonb' })
  review!: QuizReviewOptions;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

@Entity('quiz_attempts')
@Index('UQ_quiz_attempts_quiz_person_number', ['quizId', 'personId', 'attemptNumber'], { unique: true })
@Index('UQ_quiz_attempts_one_open', ['quizId', 'personId'], { unique: true, where: `status = 'in_progress'` })
export class QuizAttemptEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'quiz_id', type: 'uuid' })
  quizId!: string;

  @Column({ name: 'person_id', type: 'uuid' })
  personId!: string;

  @Column({ name: 'attempt_number', type: 'int' })
  attemptNumber!: number;

  @Column({ type: 'varchar', length: 20 })
  status!: 'in_progress' | 'submitted' | 'timed_out';

  @Column({ name: 'started_at', type: 'timestamptz' })
  startedAt!: Date;

  /** Server-enforced deadline (start + time limit, capped by the quiz's close date). */
  @Column({ name: 'deadline_at', type: 'timestamptz', nullable: true })
  deadlineAt!: Date | null;

  @Column({ name: 'submitted_at', type: 'timestamptz', nullable: true })
  submittedAt!: Date | null;

  @Column({ type: 'numeric', precision: 10, scale: 4, nullable: true })
  score!: string | null;

  @Column({ name: 'max_score', type: 'numeric', precision: 10, scale: 4 })
  maxScore!: string;

  @Column({ type: 'numeric', precision: 6, scale: 5, nullable: true })
  fraction!: string | null;
}

/** One question of one attempt: a snapshot of the definition, what the learner saw, what they answered. */
@Entity('quiz_attempt_slots')
@Index('UQ_quiz_attempt_slots_attempt_slot', ['attemptId', 'slot'], { unique: true })
@Index('IDX_quiz_attempt_slots_question', ['questionId'])
export class QuizAttemptSlotEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'attempt_id', type: 'uuid' })
  attemptId!: string;

  @Column({ type: 'int' })
  slot!: number;

  @Column({ name: 'question_id', type: 'uuid' })
  questionId!: string;

  @Column({ type: 'jsonb' })
  definition!: QuestionDefinition;

  @Column({ type: 'jsonb' })
  view!: QuestionView;

  @Column({ type: 'jsonb', nullable: true })
  response!: QuestionResponse | null;

  @Column({ name: 'saved_at', type: 'timestamptz', nullable: true })
  savedAt!: Date | null;

  @Column({ type: 'jsonb', nullable: true })
  graded!: GradedResponse | null;
}

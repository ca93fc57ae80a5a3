import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { AttendanceStatus, ClassApproval, ClassMode, RegistrationSource, RegistrationStatus } from '@dxtrain/shared/contracts';

/** Stored statuses (`full` is derived on read from the confirmed count). */
export type StoredClassStatus = 'draft' | 'open' | 'closed' | 'completed' | 'cancelled';

/** A training class (in person, online or blended) over one or more sessions. */
@Entity('training_classes')
@Index('IDX_training_classes_org_unit', ['orgUnitId'])
export class TrainingClassEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'varchar', length: 255 })
  title!: string;

  @Column({ name: 'course_id', type: 'uuid', nullable: true })
  courseId!: string | null;

  @Column({ type: 'varchar', length: 20 })
  mode!: ClassMode;

  /** The organising unit: organisers and admins whose grant covers it manage the class. */
  @Column({ name: 'org_unit_id', type: 'uuid' })
  orgUnitId!: string;

  @Column({ type: 'varchar', length: 255, nullable: true })
  room!: string | null;

  @Column({ type: 'text', nullable: true })
  address!: string | null;

  @Column({ name: 'meeting_url', type: 'varchar', length: 1000, nullable: true })
  meetingUrl!: string | null;

  @Column({ type: 'int' })
  capacity!: number;

  @Column({ name: 'registration_opens_at', type: 'timestamptz', nullable: true })
  registrationOpensAt!: Date | null;

  @Column({ name: 'registration_closes_at', type: 'timestamptz', nullable: true })
  registrationClosesAt!: Date | null;

  @Column({ name: 'self_registration', type: 'boolean', default: true })
  selfRegistration!: boolean;

  @Column({ type: 'varchar', length: 20, default: 'none' })
  approval!: ClassApproval;

  @Column({ name: 'target_audience', type: 'text', default: '' })
  targetAudience!: string;

  /** Network categories allowed to self-register (empty: everyone of the province). */
  @Column({ name: 'audience_categories', type: 'text', array: true, default: '{}' })
  audienceCategories!: string[];

  @Column({ type: 'int', default: 1 })
  periods!: number;

  /** Sessions attended (present) needed to complete; null = every session that was not cancelled. */
  @Column({ name: 'min_sessions', type: 'int', nullable: true })
  minSessions!: number | null;

  /** Refuse (instead of warn about) a registration whose sessions overlap the learner's other classes. */
  @Column({ name: 'refuse_conflicts', type: 'boolean', default: false })
  refuseConflicts!: boolean;

  @Column({ type: 'varchar', length: 20, default: 'draft' })
  status!: StoredClassStatus;

  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdBy!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

/** One session of a class. `sequence` is the iCalendar SEQUENCE, bumped on every change. */
@Entity('class_sessions')
@Index('IDX_class_sessions_class', ['classId', 'startsAt'])
@Index('IDX_class_sessions_time', ['startsAt', 'endsAt'])
export class ClassSessionEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'class_id', type: 'uuid' })
  classId!: string;

  @Column({ name: 'starts_at', type: 'timestamptz' })
  startsAt!: Date;

  @Column({ name: 'ends_at', type: 'timestamptz' })
  endsAt!: Date;

  @Column({ type: 'int', default: 0 })
  sequence!: number;

  @Column({ name: 'cancelled_at', type: 'timestamptz', nullable: true })
  cancelledAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

/** A trainer of a class: someone in the registry (person id) or an external name. */
@Entity('class_trainers')
@Index('IDX_class_trainers_class', ['classId'])
@Index('IDX_class_trainers_person', ['personId'])
export class ClassTrainerEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'class_id', type: 'uuid' })
  classId!: string;

  @Column({ name: 'person_id', type: 'uuid', nullable: true })
  personId!: string | null;

  @Column({ type: 'varchar', length: 200 })
  name!: string;
}

/**
 * A person's registration for a class. At most one active (not cancelled/rejected) per person and
 * class; the waitlist is ordered by `waitlisted_at`.
 */
@Entity('class_registrations')
@Index('UQ_class_registrations_active', ['classId', 'personId'], { unique: true, where: `status NOT IN ('cancelled', 'rejected')` })
@Index('IDX_class_registrations_person', ['personId'])
@Index('IDX_class_registrations_class_status', ['classId', 'status'])
export class ClassRegistrationEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'class_id', type: 'uuid' })
  classId!: string;

  @Column({ name: 'person_id', type: 'uuid' })
  personId!: string;

  @Column({ type: 'varchar', length: 20 })
  status!: RegistrationStatus;

  @Column({ type: 'varchar', length: 20 })
  source!: RegistrationSource;

  @Column({ name: 'registered_by', type: 'uuid', nullable: true })
  registeredBy!: string | null;

  @Column({ name: 'waitlisted_at', type: 'timestamptz', nullable: true })
  waitlistedAt!: Date | null;

  @Column({ name: 'confirmed_at', type: 'timestamptz', nullable: true })
  confirmedAt!: Date | null;

  @Column({ name: 'cancelled_at', type: 'timestamptz', nullable: true })
  cancelledAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

/** Attendance of one person at one session (marked by the organiser, or a QR self check-in). */
@Entity('class_attendance')
export class ClassAttendanceEntity {
  @PrimaryColumn({ name: 'session_id', type: 'uuid' })
  sessionId!: string;

  @PrimaryColumn({ name: 'person_id', type: 'uuid' })
  personId!: string;

  @Column({ type: 'varchar', length: 20 })
  status!: AttendanceStatus;

  @Column({ name: 'checked_in_at', type: 'timestamptz', nullable: true })
  checkedInAt!: Date | null;

  @Column({ name: 'marked_by', type: 'uuid', nullable: true })
  markedBy!: string | null;

  @UpdateDateColumn({ name: 'marked_at', type: 'timestamptz' })
  markedAt!: Date;
}

/** A person completed a class (once); `published_at` is set when `class.completed` reached the queue. */
@Entity('class_completions')
@Index('UQ_class_completions_class_person', ['classId', 'personId'], { unique: true })
export class ClassCompletionEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'class_id', type: 'uuid' })
  classId!: string;

  @Column({ name: 'person_id', type: 'uuid' })
  personId!: string;

  @Column({ name: 'training_year', type: 'int' })
  trainingYear!: number;

  @Column({ name: 'completed_at', type: 'timestamptz' })
  completedAt!: Date;

  @Column({ name: 'published_at', type: 'timestamptz', nullable: true })
  publishedAt!: Date | null;
}

/** The unguessable token of a person's personal iCalendar feed. */
@Entity('calendar_feeds')
@Index('UQ_calendar_feeds_token', ['token'], { unique: true })
export class CalendarFeedEntity {
  @PrimaryColumn({ name: 'person_id', type: 'uuid' })
  personId!: string;

  @Column({ type: 'varchar', length: 64 })
  token!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

export const SCHEDULING_ENTITIES = [
  TrainingClassEntity,
  ClassSessionEntity,
  ClassTrainerEntity,
  ClassRegistrationEntity,
  ClassAttendanceEntity,
  ClassCompletionEntity,
  CalendarFeedEntity,
];

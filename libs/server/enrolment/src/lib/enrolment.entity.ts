import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { EnrolmentImportStatus, EnrolmentSource, EnrolmentStatus, NetworkCategory } from '@dxtrain/shared/contracts';

/** A person enrolled in a course for a training year. One per (person, course, year), by the database. */
@Entity('enrolments')
@Index('UQ_enrolments_person_course_year', ['personId', 'courseId', 'trainingYear'], { unique: true })
@Index('IDX_enrolments_course_year', ['courseId', 'trainingYear'])
export class EnrolmentEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'person_id', type: 'uuid' })
  personId!: string;

  @Column({ name: 'course_id', type: 'uuid' })
  courseId!: string;

  @Column({ name: 'training_year', type: 'int' })
  trainingYear!: number;

  @Column({ type: 'varchar', length: 20 })
  source!: EnrolmentSource;

  @Column({ type: 'varchar', length: 20 })
  status!: EnrolmentStatus;

  @Column({ name: 'due_date', type: 'date', nullable: true })
  dueDate!: string | null;

  /** The user who enrolled them (manual, import) or null (self, rule). */
  @Column({ name: 'enrolled_by', type: 'uuid', nullable: true })
  enrolledBy!: string | null;

  @Column({ name: 'import_id', type: 'uuid', nullable: true })
  importId!: string | null;

  @Column({ name: 'rule_id', type: 'uuid', nullable: true })
  ruleId!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  @Column({ name: 'completed_at', type: 'timestamptz', nullable: true })
  completedAt!: Date | null;

  @Column({ name: 'withdrawn_at', type: 'timestamptz', nullable: true })
  withdrawnAt!: Date | null;
}

/** "Everyone in subtree X (with category C / position P) is enrolled in course K for year Y." */
@Entity('audience_rules')
@Index('IDX_audience_rules_course', ['courseId'])
export class AudienceRuleEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'course_id', type: 'uuid' })
  courseId!: string;

  @Column({ name: 'org_unit_id', type: 'uuid' })
  orgUnitId!: string;

  @Column({ name: 'network_category', type: 'varchar', length: 40, nullable: true })
  networkCategory!: NetworkCategory | null;

  /** Matched ignoring case against the person's job position (both NFC). */
  @Column({ type: 'varchar', length: 200, nullable: true })
  position!: string | null;

  @Column({ name: 'training_year', type: 'int' })
  trainingYear!: number;

  @Column({ name: 'due_date', type: 'date', nullable: true })
  dueDate!: string | null;

  @Column({ type: 'boolean', default: true })
  active!: boolean;

  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdBy!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

/** One uploaded enrolment file and its progress; the counts are summed from its finished chunks. */
@Entity('enrolment_imports')
@Index('IDX_enrolment_imports_created_by', ['createdBy', 'createdAt'])
export class EnrolmentImportEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'varchar', length: 20 })
  status!: EnrolmentImportStatus;

  @Column({ name: 'dry_run', type: 'boolean', default: false })
  dryRun!: boolean;

  @Column({ name: 'file_name', type: 'varchar', length: 255 })
  fileName!: string;

  @Column({ name: 'file_size', type: 'int' })
  fileSize!: number;

  @Column({ name: 'course_id', type: 'uuid', nullable: true })
  courseId!: string | null;

  @Column({ name: 'training_year', type: 'int' })
  trainingYear!: number;

  @Column({ name: 'due_date', type: 'date', nullable: true })
  dueDate!: string | null;

  @Column({ name: 'created_by', type: 'uuid' })
  createdBy!: string;

  @Column({ name: 'created_by_name', type: 'varchar', length: 100 })
  createdByName!: string;

  /** The uploader's subtree paths (enrolment roles) when they uploaded: rows outside fail. */
  @Column({ name: 'scope_paths', type: 'text', array: true })
  scopePaths!: string[];

  @Column({ name: 'total_rows', type: 'int', default: 0 })
  totalRows!: number;

  /** Rows refused while reading the file (bad values, duplicates within the file). */
  @Column({ name: 'parse_failed_rows', type: 'int', default: 0 })
  parseFailedRows!: number;

  @Column({ name: 'chunk_count', type: 'int', default: 0 })
  chunkCount!: number;

  @Column({ name: 'failure_reason', type: 'text', nullable: true })
  failureReason!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'started_at', type: 'timestamptz', nullable: true })
  startedAt!: Date | null;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt!: Date | null;
}

/** The uploaded bytes, in the database so that any worker on any machine can read them. */
@Entity('enrolment_import_files')
export class EnrolmentImportFileEntity {
  @PrimaryColumn({ name: 'import_id', type: 'uuid' })
  importId!: string;

  @Column({ type: 'bytea' })
  content!: Buffer;
}

/** A finished chunk and its counts. Written in the same transaction as the chunk's effects: exactly once. */
@Entity('enrolment_import_chunks')
export class EnrolmentImportChunkEntity {
  @PrimaryColumn({ name: 'import_id', type: 'uuid' })
  importId!: string;

  @PrimaryColumn({ type: 'int' })
  chunk!: number;

  @Column({ name: 'processed_rows', type: 'int' })
  processedRows!: number;

  @Column({ name: 'created_people', type: 'int' })
  createdPeople!: number;

  @Column({ name: 'updated_people', type: 'int' })
  updatedPeople!: number;

  @Column({ type: 'int' })
  enrolled!: number;

  @Column({ name: 'already_enrolled', type: 'int' })
  alreadyEnrolled!: number;

  @Column({ name: 'failed_rows', type: 'int' })
  failedRows!: number;

  @CreateDateColumn({ name: 'finished_at', type: 'timestamptz' })
  finishedAt!: Date;
}

/** A refused row: its number as the spreadsheet shows it, the column, and a Vietnamese message. */
@Entity('enrolment_import_errors')
@Index('IDX_enrolment_import_errors_import_row', ['importId', 'rowNumber'])
export class EnrolmentImportErrorEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint' })
  id!: string;

  @Column({ name: 'import_id', type: 'uuid' })
  importId!: string;

  @Column({ name: 'row_number', type: 'int' })
  rowNumber!: number;

  @Column({ name: 'column_name', type: 'varchar', length: 100, nullable: true })
  column!: string | null;

  @Column({ type: 'text' })
  message!: string;
}

/** A file sent with an e-mail (e.g. an iCalendar invite), stored with the message. */
export interface OutboxAttachment {
  filename: string;
  contentType: string;
  content: string;
}

/**
 * Outgoing e-mail. Written in the same transaction as what it announces, sent by a queue job
 * with retries; without SMTP_URL messages stay here ("held") for admins to read.
 */
@Entity('outbox_messages')
@Index('IDX_outbox_messages_status', ['status', 'createdAt'])
@Index('IDX_outbox_messages_org_unit', ['orgUnitId', 'createdAt'])
export class OutboxMessageEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'to_address', type: 'varchar', length: 254 })
  to!: string;

  @Column({ type: 'varchar', length: 255 })
  subject!: string;

  @Column({ name: 'body_text', type: 'text' })
  bodyText!: string;

  /** pending → sent, or held (no SMTP configured), or failed (after every retry; can be retried). */
  @Column({ type: 'varchar', length: 20, default: 'pending' })
  status!: 'pending' | 'sent' | 'held' | 'failed';

  @Column({ type: 'int', default: 0 })
  attempts!: number;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError!: string | null;

  @Column({ name: 'ref_id', type: 'uuid', nullable: true })
  refId!: string | null;

  /** The person the message is addressed to, if it is one of the registry's people. */
  @Column({ name: 'person_id', type: 'uuid', nullable: true })
  personId!: string | null;

  /** That person's unit when the message was written: its admins read the message; none = deployment-wide admins only. */
  @Column({ name: 'org_unit_id', type: 'uuid', nullable: true })
  orgUnitId!: string | null;

  /** Files sent with the message (e.g. iCalendar invites): filename, MIME type, UTF-8 text content. */
  @Column({ type: 'jsonb', nullable: true })
  attachments!: OutboxAttachment[] | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'sent_at', type: 'timestamptz', nullable: true })
  sentAt!: Date | null;
}

export const ENROLMENT_ENTITIES = [
  EnrolmentEntity,
  AudienceRuleEntity,
  EnrolmentImportEntity,
  EnrolmentImportFileEntity,
  EnrolmentImportChunkEntity,
  EnrolmentImportErrorEntity,
  OutboxMessageEntity,
];

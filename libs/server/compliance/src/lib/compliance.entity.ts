import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

/**
 * The fact table: one qualifying training (a completed course or class) of a person. Fed from the
 * `events` queue; unique on (kind, source id) so a replayed event changes nothing.
 */
@Entity('training_records')
@Index('UQ_training_records_source', ['sourceKind', 'sourceId'], { unique: true })
@Index('IDX_training_records_year_person', ['trainingYear', 'personId'])
@Index('IDX_training_records_person', ['personId'])
export class TrainingRecordEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'person_id', type: 'uuid' })
  personId!: string;

  @Column({ name: 'source_kind', type: 'varchar', length: 10 })
  sourceKind!: 'course' | 'class';

  /** Course completion id or class completion id. */
  @Column({ name: 'source_id', type: 'uuid' })
  sourceId!: string;

  @Column({ name: 'course_id', type: 'uuid', nullable: true })
  courseId!: string | null;

  @Column({ type: 'varchar', length: 255, default: '' })
  title!: string;

  @Column({ name: 'completed_at', type: 'timestamptz' })
  completedAt!: Date;

  @Column({ name: 'training_year', type: 'int' })
  trainingYear!: number;

  @Column({ type: 'int', default: 0 })
  periods!: number;
}

/**
 * Which unit a person belonged to, and when. Written by a database trigger on `people` (insert, and
 * every change of org_unit_id: manual moves, imports, merges), so no other domain has to remember it.
 */
@Entity('person_unit_history')
@Index('IDX_person_unit_history_person', ['personId', 'validFrom'])
export class PersonUnitHistoryEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint' })
  id!: string;

  @Column({ name: 'person_id', type: 'uuid' })
  personId!: string;

  @Column({ name: 'org_unit_id', type: 'uuid' })
  orgUnitId!: string;

  @Column({ name: 'valid_from', type: 'timestamptz' })
  validFrom!: Date;

  @Column({ name: 'valid_to', type: 'timestamptz', nullable: true })
  validTo!: Date | null;
}

/** Years in which a person's account signed in (a trigger on users.last_login_at). */
@Entity('person_sign_in_years')
export class PersonSignInYearEntity {
  @PrimaryColumn({ name: 'person_id', type: 'uuid' })
  personId!: string;

  @PrimaryColumn({ name: 'training_year', type: 'int' })
  trainingYear!: number;
}

/** "Members of category C / position P in subtree U need H periods, or courses K, in year Y." */
@Entity('training_requirements')
@Index('IDX_training_requirements_year', ['trainingYear'])
export class TrainingRequirementEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'training_year', type: 'int' })
  trainingYear!: number;

  @Column({ name: 'org_unit_id', type: 'uuid' })
  orgUnitId!: string;

  @Column({ name: 'network_category', type: 'varchar', length: 40, nullable: true })
  networkCategory!: string | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  position!: string | null;

  @Column({ name: 'min_periods', type: 'int', nullable: true })
  minPeriods!: number | null;

  @Column({ name: 'course_ids', type: 'uuid', array: true, default: () => "'{}'" })
  courseIds!: string[];

  @Column({ type: 'date' })
  deadline!: string;

  @Column({ type: 'boolean', default: true })
  active!: boolean;

  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdBy!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

@Entity('compliance_exemptions')
@Index('UQ_compliance_exemptions_person_year', ['personId', 'trainingYear'], { unique: true })
export class ExemptionEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'person_id', type: 'uuid' })
  personId!: string;

  @Column({ name: 'training_year', type: 'int' })
  trainingYear!: number;

  @Column({ type: 'varchar', length: 500 })
  reason!: string;

  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdBy!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

/** Derived status of each member for a year (recomputed by the refresh job); the untrained list reads it. */
@Entity('compliance_person_status')
@Index('IDX_compliance_person_status_unit', ['trainingYear', 'orgUnitId'])
export class PersonStatusEntity {
  @PrimaryColumn({ name: 'training_year', type: 'int' })
  trainingYear!: number;

  @PrimaryColumn({ name: 'person_id', type: 'uuid' })
  personId!: string;

  /** The unit at the end of the year (or now, for the current year). */
  @Column({ name: 'org_unit_id', type: 'uuid' })
  orgUnitId!: string;

  @Column({ type: 'varchar', length: 20 })
  status!: string;

  @Column({ type: 'varchar', length: 30, nullable: true })
  reason!: string | null;

  @Column({ type: 'int', default: 0 })
  periods!: number;

  @Column({ name: 'required_periods', type: 'int', nullable: true })
  requiredPeriods!: number | null;

  @Column({ name: 'rule_id', type: 'uuid', nullable: true })
  ruleId!: string | null;
}

/**
 * Direct (not subtree) counts per unit and year; subtree figures are sums over the path prefix. `path` is the
 * unit's path at the year's cutoff (org_unit_paths), so a past year rolls up in the structure it had then.
 */
@Entity('compliance_unit_stats')
@Index('IDX_compliance_unit_stats_path', { synchronize: false })
export class UnitStatsEntity {
  @PrimaryColumn({ name: 'training_year', type: 'int' })
  trainingYear!: number;

  @PrimaryColumn({ name: 'org_unit_id', type: 'uuid' })
  orgUnitId!: string;

  @Column({ type: 'text', default: '' })
  path!: string;

  @Column({ type: 'int', default: 0 })
  members!: number;

  @Column({ type: 'int', default: 0 })
  trained!: number;

  @Column({ name: 'in_progress', type: 'int', default: 0 })
  inProgress!: number;

  @Column({ name: 'not_started', type: 'int', default: 0 })
  notStarted!: number;

  @Column({ type: 'int', default: 0 })
  exempt!: number;

  @Column({ name: 'with_account', type: 'int', default: 0 })
  withAccount!: number;

  @Column({ name: 'signed_in', type: 'int', default: 0 })
  signedIn!: number;

  /** 1 when the unit was open at the end of the year and should have a DX focal point. */
  @Column({ name: 'counted_unit', type: 'int', default: 0 })
  countedUnit!: number;

  @Column({ name: 'focal_unit', type: 'int', default: 0 })
  focalUnit!: number;
}

/** Per year: dirty (new facts since the last refresh) and when it was last recomputed. */
@Entity('compliance_refresh_state')
export class RefreshStateEntity {
  @PrimaryColumn({ name: 'training_year', type: 'int' })
  trainingYear!: number;

  @Column({ type: 'boolean', default: true })
  dirty!: boolean;

  @Column({ name: 'refreshed_at', type: 'timestamptz', nullable: true })
  refreshedAt!: Date | null;
}

/** Reminder log: at most one reminder per recipient per configured interval. */
@Entity('compliance_reminders')
@Index('IDX_compliance_reminders_recipient', ['kind', 'recipientId', 'sentAt'])
export class ReminderEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint' })
  id!: string;

  /** person | manager */
  @Column({ type: 'varchar', length: 10 })
  kind!: string;

  /** Person id (kind person) or user id (kind manager). */
  @Column({ name: 'recipient_id', type: 'uuid' })
  recipientId!: string;

  @Column({ name: 'training_year', type: 'int' })
  trainingYear!: number;

  @CreateDateColumn({ name: 'sent_at', type: 'timestamptz' })
  sentAt!: Date;
}

/** A large export run by the worker; the bytes are kept here until downloaded (and purged after a day). */
@Entity('compliance_exports')
@Index('IDX_compliance_exports_requested_by', ['requestedBy', 'createdAt'])
export class ComplianceExportEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'requested_by', type: 'uuid' })
  requestedBy!: string;

  @Column({ type: 'varchar', length: 20 })
  kind!: string;

  @Column({ type: 'varchar', length: 10 })
  format!: string;

  @Column({ name: 'training_year', type: 'int' })
  trainingYear!: number;

  @Column({ name: 'org_unit_id', type: 'uuid' })
  orgUnitId!: string;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  filters!: Record<string, unknown>;

  @Column({ type: 'varchar', length: 20, default: 'queued' })
  status!: string;

  @Column({ type: 'int', default: 0 })
  progress!: number;

  @Column({ name: 'file_name', type: 'varchar', length: 255, nullable: true })
  fileName!: string | null;

  @Column({ type: 'bytea', nullable: true })
  content!: Buffer | null;

  @Column({ type: 'text', nullable: true })
  error!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt!: Date | null;
}

export const COMPLIANCE_ENTITIES = [
  TrainingRecordEntity,
  PersonUnitHistoryEntity,
  PersonSignInYearEntity,
  TrainingRequirementEntity,
  ExemptionEntity,
  PersonStatusEntity,
  UnitStatsEntity,
  RefreshStateEntity,
  ReminderEntity,
  ComplianceExportEntity,
];

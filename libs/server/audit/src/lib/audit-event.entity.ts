import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * One change or security event: who, when, what, before/after, and where (the units and person it concerns,
 * which decide who may read it). Append-only.
 */
@Entity('audit_events')
@Index('IDX_audit_events_entity', ['entityType', 'entityId'])
@Index('IDX_audit_events_occurred_at', ['occurredAt'])
// GIN on org_unit_ids (`&&` against the reader's units), written by hand in the AuditAndOutboxScope migration.
@Index('IDX_audit_events_org_unit_ids', { synchronize: false })
export class AuditEventEntity {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  id!: string;

  @CreateDateColumn({ name: 'occurred_at', type: 'timestamptz' })
  occurredAt!: Date;

  @Column({ name: 'actor_user_id', type: 'uuid', nullable: true })
  actorUserId!: string | null;

  @Column({ name: 'actor_username', type: 'varchar', length: 100, nullable: true })
  actorUsername!: string | null;

  @Column({ type: 'varchar', length: 60 })
  action!: string;

  @Column({ name: 'entity_type', type: 'varchar', length: 40 })
  entityType!: string;

  @Column({ name: 'entity_id', type: 'varchar', length: 100, nullable: true })
  entityId!: string | null;

  @Column({ type: 'jsonb', nullable: true })
  before!: Record<string, unknown> | null;

  @Column({ type: 'jsonb', nullable: true })
  after!: Record<string, unknown> | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  ip!: string | null;

  /** The units the event concerns: an admin whose scope holds one of them reads it; none = deployment-wide admins only. */
  @Column({ name: 'org_unit_ids', type: 'uuid', array: true, default: () => "'{}'" })
  orgUnitIds!: string[];

  /** The person the event concerns, if any (their unit at the time is in orgUnitIds). */
  @Column({ name: 'person_id', type: 'uuid', nullable: true })
  personId!: string | null;
}

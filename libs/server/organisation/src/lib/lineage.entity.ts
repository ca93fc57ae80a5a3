import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * How units became other units. `merge`: the predecessor's whole history continues in the successor
 * (several merges into one = an amalgamation; a province's trend is one line through it). `split`: the
 * predecessor was divided between several successors (its earlier figures belong to each of them in
 * part, shown whole and marked shared). `abolish`: a level was removed; the children moved up to the
 * successor (the parent) but the abolished unit's history is not the parent's.
 */
@Entity('org_unit_lineage')
@Index('IDX_org_unit_lineage_successor', ['successorId'])
@Index('UQ_org_unit_lineage_pair', ['predecessorId', 'successorId'], { unique: true })
export class OrgUnitLineageEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'predecessor_id', type: 'uuid' })
  predecessorId!: string;

  @Column({ name: 'successor_id', type: 'uuid' })
  successorId!: string;

  @Column({ type: 'varchar', length: 20 })
  kind!: 'merge' | 'split' | 'abolish';

  /** First day of the successor's responsibility (the predecessor's valid_to is the day before). */
  @Column({ name: 'effective_date', type: 'date' })
  effectiveDate!: string;

  @Column({ name: 'plan_id', type: 'uuid', nullable: true })
  planId!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

/**
 * A unit's place in the tree over time, written by a statement-level trigger on org_units (every path change,
 * whoever makes it) and dated by `dxtrain.effective_date` when a reorganisation sets it. [valid_from, valid_to).
 * Coverage counts a year in the structure of that year: a unit's path at the year's cutoff comes from here.
 */
@Entity('org_unit_paths')
@Index('IDX_org_unit_paths_unit', ['unitId', 'validFrom'])
export class OrgUnitPathEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint' })
  id!: string;

  @Column({ name: 'unit_id', type: 'uuid' })
  unitId!: string;

  @Column({ name: 'parent_id', type: 'uuid', nullable: true })
  parentId!: string | null;

  @Column({ type: 'text' })
  path!: string;

  @Column({ name: 'valid_from', type: 'date' })
  validFrom!: string;

  @Column({ name: 'valid_to', type: 'date', nullable: true })
  validTo!: string | null;
}

/** An applied reorganisation plan (the rows as read, the report as applied). Plans only go forward. */
@Entity('reorganisation_plans')
@Index('IDX_reorganisation_plans_applied', ['appliedAt'])
export class ReorganisationPlanEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'varchar', length: 255 })
  name!: string;

  /** Top units (provinces) the plan touched: who may list it. */
  @Column({ name: 'root_paths', type: 'text', array: true })
  rootPaths!: string[];

  @Column({ type: 'jsonb' })
  rows!: unknown;

  @Column({ type: 'jsonb' })
  report!: unknown;

  @Column({ name: 'applied_by', type: 'uuid', nullable: true })
  appliedBy!: string | null;

  @Column({ name: 'applied_by_username', type: 'varchar', length: 100 })
  appliedByUsername!: string;

  @CreateDateColumn({ name: 'applied_at', type: 'timestamptz' })
  appliedAt!: Date;
}

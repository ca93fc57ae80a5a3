import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { OrgUnitKind } from '@dxtrain/shared/contracts';

/**
 * A unit of the organisation tree. `path` is a materialised path of ids
 * ('/<root>/<child>/.../<this>/'), so "everything under X" is one index range scan
 * (`path LIKE '/.../X/%'`, served by a text_pattern_ops index created in the migration).
 */
@Entity('org_units')
@Index('UQ_org_units_root_code', ['rootId', 'code'], { unique: true })
@Index('IDX_org_units_parent', ['parentId'])
@Index('IDX_org_units_path_pattern', { synchronize: false })
export class OrgUnitEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'varchar', length: 50 })
  code!: string;

  @Column({ type: 'varchar', length: 255 })
  name!: string;

  @Column({ type: 'varchar', length: 40 })
  kind!: OrgUnitKind;

  @Column({ name: 'parent_id', type: 'uuid', nullable: true })
  parentId!: string | null;

  @ManyToOne(() => OrgUnitEntity, { nullable: true, onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'parent_id' })
  parent?: OrgUnitEntity | null;

  /** The root (province) of the tree; codes are unique per root. */
  @Column({ name: 'root_id', type: 'uuid' })
  rootId!: string;

  @Column({ type: 'text' })
  path!: string;

  @Column({ type: 'int' })
  depth!: number;

  /** Lower-cased, diacritics-free name and code, for search. */
  @Column({ name: 'search_text', type: 'text' })
  searchText!: string;

  @Column({ name: 'valid_from', type: 'date' })
  validFrom!: string;

  /** Last day the unit existed; null while active. */
  @Column({ name: 'valid_to', type: 'date', nullable: true })
  validTo!: string | null;

  @Column({ name: 'merged_into_id', type: 'uuid', nullable: true })
  mergedIntoId!: string | null;

  @Column({ name: 'merged_at', type: 'date', nullable: true })
  mergedAt!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

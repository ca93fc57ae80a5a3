import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { NetworkCategory } from '@dxtrain/shared/contracts';
import { OrgUnitEntity } from '@dxtrain/server/organisation';

/** A member of staff (and usually of the DX network). Never hard-deleted: deactivated instead. */
@Entity('people')
@Index('UQ_people_province_staff_code', ['provinceId', 'staffCode'], { unique: true })
@Index('UQ_people_province_email', ['provinceId', 'email'], { unique: true, where: 'email IS NOT NULL' })
@Index('IDX_people_org_unit_sort', ['orgUnitId', 'sortKey'])
@Index('IDX_people_sort_key', ['sortKey'])
export class PersonEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  /** Root unit (province) of the person's unit; staff codes are unique per province. */
  @Column({ name: 'province_id', type: 'uuid' })
  provinceId!: string;

  @Column({ name: 'staff_code', type: 'varchar', length: 50 })
  staffCode!: string;

  /** NFC, trimmed. */
  @Column({ name: 'full_name', type: 'varchar', length: 200 })
  fullName!: string;

  /** Lower-cased. */
  @Column({ type: 'varchar', length: 254, nullable: true })
  email!: string | null;

  @Column({ type: 'varchar', length: 30, nullable: true })
  phone!: string | null;

  @Column({ name: 'org_unit_id', type: 'uuid' })
  orgUnitId!: string;

  @ManyToOne(() => OrgUnitEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'org_unit_id' })
  orgUnit?: OrgUnitEntity;

  /** Job position (vị trí việc làm). */
  @Column({ type: 'varchar', length: 200, nullable: true })
  position!: string | null;

  /** DX network membership; null for staff outside the network. */
  @Column({ name: 'network_category', type: 'varchar', length: 40, nullable: true })
  networkCategory!: NetworkCategory | null;

  /** Designated DX focal point (đầu mối) of their unit. */
  @Column({ name: 'is_focal_point', type: 'boolean', default: false })
  isFocalPoint!: boolean;

  @Column({ type: 'boolean', default: true })
  active!: boolean;

  @Column({ name: 'deactivated_at', type: 'timestamptz', nullable: true })
  deactivatedAt!: Date | null;

  /** Folded (lower-case, no diacritics) name, staff code and email, for search. */
  @Column({ name: 'search_text', type: 'text' })
  searchText!: string;

  /** Vietnamese name order key (given name first), compared with COLLATE "C". */
  @Column({ name: 'sort_key', type: 'text', collation: 'C' })
  sortKey!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

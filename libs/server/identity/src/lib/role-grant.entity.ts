import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Role } from '@dxtrain/shared/contracts';
import { OrgUnitEntity } from '@dxtrain/server/organisation';
import { UserEntity } from './user.entity';

/** (user, role, org unit): the role applies to the unit's whole subtree; a superadmin grant has no unit and covers all. */
@Entity('role_grants')
@Index('UQ_role_grants_user_role_unit', ['userId', 'role', 'orgUnitId'], { unique: true })
@Index('IDX_role_grants_org_unit', ['orgUnitId'])
@Index('UQ_role_grants_superadmin', ['userId'], { unique: true, where: 'org_unit_id IS NULL' })
@Check('CHK_role_grants_unit_unless_superadmin', `(role = 'superadmin') = (org_unit_id IS NULL)`)
export class RoleGrantEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId!: string;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: UserEntity;

  @Column({ type: 'varchar', length: 30 })
  role!: Role;

  /** Null only for a deployment-wide grant (superadmin); a CHECK constraint keeps the two together. */
  @Column({ name: 'org_unit_id', type: 'uuid', nullable: true })
  orgUnitId!: string | null;

  @ManyToOne(() => OrgUnitEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'org_unit_id' })
  orgUnit?: OrgUnitEntity;

  @Column({ name: 'granted_by', type: 'uuid', nullable: true })
  grantedBy!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

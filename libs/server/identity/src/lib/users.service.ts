import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditAction, ErrorCode, MeResponse, Role, RoleGrant } from '@dxtrain/shared/contracts';
import { adminScope, AuditService } from '@dxtrain/server/audit';
import { OrgUnitEntity } from '@dxtrain/server/organisation';
import { PeopleService, PersonEntity } from '@dxtrain/server/people';
import { Actor, DomainException, isPgError, PG_UNIQUE_VIOLATION } from '@dxtrain/server/platform';
import { AuthService } from './auth.service';
import { CreateGrantDto, CreateUserDto } from './dto/auth.dto';
import { RoleGrantEntity } from './role-grant.entity';
import { UserEntity } from './user.entity';

export interface UserWithGrants {
  id: string;
  username: string;
  displayName: string;
  personId: string | null;
  active: boolean;
  lastLoginAt: string | null;
  grants: RoleGrant[];
}

/** Accounts and role grants. Only an admin may grant, and only on units their admin grant covers. */
@Injectable()
export class UsersService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly auth: AuthService,
    private readonly people: PeopleService,
    private readonly audit: AuditService,
  ) {}

  async me(actor: Actor): Promise<MeResponse> {
    const user = await this.db.getRepository(UserEntity).findOneByOrFail({ id: actor.userId });
    const [person, grants] = await Promise.all([user.personId ? this.people.findOwn(user.personId) : null, this.grantsOf(user.id)]);
    return { user: this.auth.currentUser(user, actor.grants), person, grants };
  }

  private async grantsOf(userId: string): Promise<RoleGrant[]> {
    const rows: Array<{ id: string; role: Role; org_unit_id: string; name: string; code: string }> = await this.db.query(
      `SELECT g.id, g.role, g.org_unit_id, u.name, u.code FROM role_grants g JOIN org_units u ON u.id = g.org_unit_id
        WHERE g.user_id = $1 ORDER BY g.created_at`,
      [userId],
    );
    return rows.map((r) => ({ id: r.id, role: r.role, orgUnitId: r.org_unit_id, orgUnitName: r.name, orgUnitCode: r.code }));
  }

  private async unitForAdmin(actor: Actor, unitId: string): Promise<OrgUnitEntity> {
    const unit = await this.db.getRepository(OrgUnitEntity).findOneBy({ id: unitId });
    if (!unit) throw new DomainException(ErrorCode.OrgUnitNotFound, 400, [{ field: 'orgUnitId', message: 'unknown unit' }]);
    if (!actor.covers(unit.path, [Role.Admin])) throw DomainException.forbidden(ErrorCode.GrantOutOfScope);
    return unit;
  }

  /**
   * Users holding a grant, or linked to a person, inside the admin's scope, each with only the grants inside that
   * scope (a deployment-wide admin sees every account and grant).
   */
  async list(actor: Actor): Promise<UserWithGrants[]> {
    const scope = await adminScope(this.db, actor);
    if (!scope.all && scope.patterns.length === 0) return [];
    const patterns = scope.all ? null : scope.patterns;
    const users: UserEntity[] = await this.db.query(
      `SELECT us.id, us.username, us.display_name AS "displayName", us.person_id AS "personId", us.active, us.last_login_at AS "lastLoginAt"
         FROM users us
        WHERE $1::text[] IS NULL
           OR EXISTS (SELECT 1 FROM role_grants g JOIN org_units gu ON gu.id = g.org_unit_id WHERE g.user_id = us.id AND gu.path LIKE ANY($1::text[]))
           OR EXISTS (SELECT 1 FROM people p JOIN org_units pu ON pu.id = p.org_unit_id WHERE p.id = us.person_id AND pu.path LIKE ANY($1::text[]))
        ORDER BY us.username`,
      [patterns],
    );
    const grants: Array<{ user_id: string; id: string; role: Role; org_unit_id: string; name: string; code: string }> = users.length
      ? await this.db.query(
          `SELECT g.user_id, g.id, g.role, g.org_unit_id, u.name, u.code FROM role_grants g JOIN org_units u ON u.id = g.org_unit_id
            WHERE g.user_id = ANY($1::uuid[]) AND ($2::text[] IS NULL OR u.path LIKE ANY($2::text[]))
            ORDER BY g.created_at`,
          [users.map((u) => u.id), patterns],
        )
      : [];
    const byUser = new Map<string, RoleGrant[]>();
    for (const g of grants) {
      const list = byUser.get(g.user_id) ?? [];
      list.push({ id: g.id, role: g.role, orgUnitId: g.org_unit_id, orgUnitName: g.name, orgUnitCode: g.code });
      byUser.set(g.user_id, list);
    }
    return users.map((u) => ({
      id: u.id,
      username: u.username,
      displayName: u.displayName,
      personId: u.personId,
      active: u.active,
      lastLoginAt: u.lastLoginAt ? new Date(u.lastLoginAt).toISOString() : null,
      grants: byUser.get(u.id) ?? [],
    }));
  }

  async createUser(actor: Actor, dto: CreateUserDto): Promise<UserWithGrants> {
    const person = await this.db.getRepository(PersonEntity).findOneBy({ id: dto.personId });
    if (!person) throw new DomainException(ErrorCode.PersonNotFound, 400, [{ field: 'personId', message: 'unknown person' }]);
    await this.unitForAdmin(actor, person.orgUnitId);
    const passwordHash = await AuthService.hashPassword(dto.password);
    const id = await this.db
      .transaction(async (manager) => {
        const user = manager.getRepository(UserEntity).create({
          username: dto.username,
          passwordHash,
          displayName: dto.displayName?.trim() || person.fullName,
          personId: person.id,
          active: true,
        });
        await manager.getRepository(UserEntity).insert(user);
        await this.audit.record(manager, actor, {
          action: 'user.created',
          entityType: 'user',
          entityId: user.id,
          after: { username: user.username, personId: user.personId },
        });
        return user.id;
      })
      .catch((err) => {
        if (isPgError(err, PG_UNIQUE_VIOLATION)) throw DomainException.conflict(ErrorCode.Conflict, [{ field: 'username', message: 'username or person already has an account' }]);
        throw err;
      });
    return (await this.list(actor)).find((u) => u.id === id) as UserWithGrants;
  }

  async addGrant(actor: Actor, userId: string, dto: CreateGrantDto): Promise<RoleGrant> {
    const user = await this.db.getRepository(UserEntity).findOneBy({ id: userId });
    if (!user) throw DomainException.notFound(ErrorCode.UserNotFound);
    // A deployment-wide grant is not given through a unit: only the deployment's operator (seed, database) sets it.
    if (dto.role === Role.Superadmin) throw DomainException.forbidden();
    const unit = await this.unitForAdmin(actor, dto.orgUnitId);
    const grant = await this.db
      .transaction(async (manager) => {
        const entity = manager.getRepository(RoleGrantEntity).create({ userId, role: dto.role, orgUnitId: unit.id, grantedBy: actor.userId });
        await manager.getRepository(RoleGrantEntity).insert(entity);
        await this.audit.record(manager, actor, {
          action: AuditAction.GrantCreated,
          entityType: 'role_grant',
          entityId: entity.id,
          after: { userId, username: user.username, role: dto.role, orgUnitId: unit.id, orgUnitCode: unit.code },
          orgUnitIds: [unit.id],
          userId,
        });
        return entity;
      })
      .catch((err) => {
        if (isPgError(err, PG_UNIQUE_VIOLATION)) throw DomainException.conflict(ErrorCode.GrantDuplicate);
        throw err;
      });
    return { id: grant.id, role: grant.role, orgUnitId: unit.id, orgUnitName: unit.name, orgUnitCode: unit.code };
  }

  async revokeGrant(actor: Actor, userId: string, grantId: string): Promise<void> {
    await this.db.transaction(async (manager) => {
      const grant = await manager.getRepository(RoleGrantEntity).findOneBy({ id: grantId, userId });
      if (!grant) throw DomainException.notFound();
      // Only a superadmin removes a deployment-wide grant; to anyone else it does not exist.
      if (grant.orgUnitId === null) {
        if (!actor.isSuperadmin) throw DomainException.notFound();
        await manager.getRepository(RoleGrantEntity).delete({ id: grantId });
        await this.audit.record(manager, actor, { action: AuditAction.GrantRevoked, entityType: 'role_grant', entityId: grantId, before: { userId, role: grant.role }, userId });
        return;
      }
      const unit = await this.unitForAdmin(actor, grant.orgUnitId);
      await manager.getRepository(RoleGrantEntity).delete({ id: grantId });
      await this.audit.record(manager, actor, {
        action: AuditAction.GrantRevoked,
        entityType: 'role_grant',
        entityId: grantId,
        before: { userId, role: grant.role, orgUnitId: unit.id, orgUnitCode: unit.code },
        orgUnitIds: [unit.id],
        userId,
      });
    });
  }
}

export interface AuditEvent {
  id: string;
  occurredAt: string;
  actorUserId: string | null;
  actorUsername: string | null;
  action: string;
  entityType: string;
  entityId: string | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  ip: string | null;
}

export enum AuditAction {
  LoginSucceeded = 'auth.login',
  LoginFailed = 'auth.login_failed',
  Logout = 'auth.logout',
  OrgUnitCreated = 'org_unit.created',
  OrgUnitUpdated = 'org_unit.updated',
  OrgUnitMoved = 'org_unit.moved',
  OrgUnitMerged = 'org_unit.merged',
  OrgReorganised = 'org.reorganised',
  PersonCreated = 'person.created',
  PersonUpdated = 'person.updated',
  PersonDeactivated = 'person.deactivated',
  PersonReactivated = 'person.reactivated',
  GrantCreated = 'grant.created',
  GrantRevoked = 'grant.revoked',
}

/** Roles a user can be granted on an org unit; a grant covers the unit's whole subtree. */
export enum Role {
  /**
   * Deployment-wide administrator: a grant with no unit. Everything an admin may do, in every province, plus what
   * only it may do: create top-level units (provinces) and manage other provinces' administrators.
   */
  Superadmin = 'superadmin',
  Admin = 'admin',
  Organiser = 'organiser',
  UnitManager = 'unit_manager',
  Hr = 'hr',
  Learner = 'learner',
}

export const ALL_ROLES: readonly Role[] = Object.values(Role);

/** Roles that may read the staff registry and the organisation tree of their subtree. */
export const STAFF_READER_ROLES: readonly Role[] = [Role.Admin, Role.Organiser, Role.UnitManager, Role.Hr];

export interface RoleGrant {
  id: string;
  role: Role;
  orgUnitId: string;
  orgUnitName: string;
  orgUnitCode: string;
}

/** Who may author a course: admins and organisers whose grant covers the course's owner unit. */
export const COURSE_EDITOR_ROLES: readonly Role[] = [Role.Admin, Role.Organiser];

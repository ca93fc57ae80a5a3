import type { OrgUnitLineageLink } from './reorganisation';

export enum OrgUnitKind {
  Province = 'province',
  Department = 'department',
  PublicServiceUnit = 'public_service_unit',
  District = 'district',
  Commune = 'commune',
  Enterprise = 'enterprise',
  CommunityDigitalTeam = 'community_digital_team',
  Other = 'other',
}

export const ORG_UNIT_KINDS: readonly OrgUnitKind[] = Object.values(OrgUnitKind);

/** Flat representation used by lists and subtree answers. */
export interface OrgUnitSummary {
  id: string;
  code: string;
  name: string;
  kind: OrgUnitKind;
  parentId: string | null;
  depth: number;
  childCount: number;
  /** ISO date (yyyy-mm-dd) the unit was closed, or null while it is active. */
  validTo: string | null;
}

export interface OrgUnitDetail extends OrgUnitSummary {
  validFrom: string;
  mergedIntoId: string | null;
  mergedAt: string | null;
  /** Ancestors from the root down to the parent, for breadcrumbs. */
  ancestors: Array<{ id: string; code: string; name: string; kind: OrgUnitKind }>;
  /** Active staff in the unit itself (not the subtree). */
  staffCount: number;
  /** Active staff in the whole subtree. */
  subtreeStaffCount: number;
  focalPoints: Array<{ id: string; fullName: string; staffCode: string }>;
  hasFocalPoint: boolean;
  /** Units this one came from (merged or split into it), with the day it took over. */
  predecessors: OrgUnitLineageLink[];
  /** Units this one became (closed into, split into, or the parent its level was abolished into). */
  successors: OrgUnitLineageLink[];
}

/** One unit of a flat subtree answer. */
export type SubtreeEntry = Omit<OrgUnitSummary, 'childCount'>;

export interface CreateOrgUnitRequest {
  code: string;
  name: string;
  kind: OrgUnitKind;
  parentId?: string | null;
  validFrom?: string;
}

export interface UpdateOrgUnitRequest {
  code?: string;
  name?: string;
  kind?: OrgUnitKind;
  validFrom?: string;
  validTo?: string | null;
}

export interface MoveOrgUnitRequest {
  newParentId: string;
}

export interface MergeOrgUnitRequest {
  /** The unit that absorbs this one. */
  targetId: string;
  /** ISO date of the merger; defaults to today. */
  effectiveDate?: string;
}

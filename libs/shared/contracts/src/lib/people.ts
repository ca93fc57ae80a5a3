/** Categories of Digital Transformation (DX) network membership (Decision 1690/QĐ-TTg). */
export enum NetworkCategory {
  ProvincialDxStaff = 'provincial_dx_staff',
  UnitFocalPoint = 'unit_focal_point',
  CommuneOfficial = 'commune_official',
  CommuneItOfficer = 'commune_it_officer',
  CommunityDigitalTeam = 'community_digital_team',
  EnterpriseStaff = 'enterprise_staff',
  CyberIncidentResponse = 'cyber_incident_response',
}

export const NETWORK_CATEGORIES: readonly NetworkCategory[] = Object.values(NetworkCategory);

export interface PersonSummary {
  id: string;
  staffCode: string;
  fullName: string;
  email: string | null;
  phone: string | null;
  orgUnitId: string;
  orgUnitName: string;
  orgUnitCode: string;
  position: string | null;
  networkCategory: NetworkCategory | null;
  isFocalPoint: boolean;
  active: boolean;
  hasAccount: boolean;
}

export interface PersonDetail extends PersonSummary {
  deactivatedAt: string | null;
  createdAt: string;
  updatedAt: string;
  username: string | null;
}

export interface StaffQuery {
  unitId?: string;
  q?: string;
  category?: NetworkCategory;
  active?: 'true' | 'false' | 'all';
  page?: number;
  pageSize?: number;
}

export interface CreatePersonRequest {
  staffCode: string;
  fullName: string;
  email?: string | null;
  phone?: string | null;
  orgUnitId: string;
  position?: string | null;
  networkCategory?: NetworkCategory | null;
  isFocalPoint?: boolean;
}

export type UpdatePersonRequest = Partial<CreatePersonRequest>;

import { Role, RoleGrant } from './roles';
import { PersonSummary } from './people';

export interface LoginRequest {
  username: string;
  password: string;
}

export interface CurrentUser {
  id: string;
  username: string;
  displayName: string;
  personId: string | null;
  roles: Role[];
}

export interface LoginResponse {
  accessToken: string;
  /** Seconds until the access token expires. */
  expiresIn: number;
  user: CurrentUser;
}

export interface MeResponse {
  user: CurrentUser;
  person: PersonSummary | null;
  grants: RoleGrant[];
}

export interface CreateGrantRequest {
  role: Role;
  orgUnitId: string;
}

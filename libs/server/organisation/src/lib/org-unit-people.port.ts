import { EntityManager } from 'typeorm';

/**
 * What the organisation domain needs to know about people, without depending on the people
 * domain: staff counts and focal points for a unit page, and moving staff when units merge.
 * The people domain provides it (a global module) under ORG_UNIT_PEOPLE_PORT.
 */
export interface OrgUnitPeoplePort {
  unitStaffFacts(unitId: string, unitPath: string): Promise<{
    staffCount: number;
    subtreeStaffCount: number;
    focalPoints: Array<{ id: string; fullName: string; staffCode: string }>;
  }>;
  /** Moves every person of `fromUnitId` to `toUnitId` inside the merge transaction. */
  movePeopleOnMerge(manager: EntityManager, fromUnitId: string, toUnitId: string): Promise<number>;
  /** Active people of these units (a split assigns them one by one). */
  activePeopleOf(manager: EntityManager, unitIds: string[]): Promise<Array<{ id: string; staffCode: string; orgUnitId: string }>>;
  /** Moves the people of `fromUnitId` (all, or only `personIds`) to `toUnitId`; returns the ids moved. */
  movePeopleTo(manager: EntityManager, fromUnitId: string, toUnitId: string, personIds: string[] | null): Promise<string[]>;
  /** A subtree moved into another province's tree: its people now belong to that province (staff codes must stay unique). */
  followSubtreeToProvince(manager: EntityManager, subtreePath: string, provinceId: string): Promise<number>;
}

export const ORG_UNIT_PEOPLE_PORT = Symbol('ORG_UNIT_PEOPLE_PORT');

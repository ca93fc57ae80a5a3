import { DiscoveryService } from '@nestjs/core';
import { EntityManager } from 'typeorm';
import { ReorgImpact } from '@dxtrain/shared/contracts';

/** One unit that stopped existing in a reorganisation, and the unit(s) that took over. */
export interface UnitSuccession {
  unitId: string;
  /** merge: one successor takes everything; split: several, the plan said who went where; abolish: the parent takes the children. */
  kind: 'merge' | 'split' | 'abolish';
  successorIds: string[];
  /** First day of the successor(s), yyyy-mm-dd. */
  effectiveDate: string;
}

export interface ReorganisationContext {
  /** Names of every unit involved (closed units and successors), for the report. */
  unitName(id: string): string;
  /** Roots (provinces) created by this plan: new issuers of certificates. */
  newRootIds: string[];
  /** People moved by this plan (person id → new unit id). */
  movedPeople: ReadonlyMap<string, string>;
}

/**
 * A domain whose rows point at org units (grants, rules, classes, templates…) and must follow a
 * reorganisation. The organisation domain finds every provider marked with this decorator and calls it
 * inside the plan's transaction (a dry run rolls it back), without depending on those domains.
 */
export interface ReorganisationParticipant {
  onReorganised(manager: EntityManager, successions: readonly UnitSuccession[], ctx: ReorganisationContext): Promise<ReorgImpact[]>;
}

export const ReorganisationParticipantProvider = DiscoveryService.createDecorator<void>();

/** Units with exactly one successor (merged, or a level abolished into the parent): rows pointing at them can follow. */
export function singleSuccessors(successions: readonly UnitSuccession[]): { from: string[]; to: string[]; split: string[]; date: Map<string, string> } {
  const single = successions.filter((s) => s.kind !== 'split');
  return {
    from: single.map((s) => s.unitId),
    to: single.map((s) => s.successorIds[0]),
    split: successions.filter((s) => s.kind === 'split').map((s) => s.unitId),
    date: new Map(successions.map((s) => [s.unitId, s.effectiveDate])),
  };
}

import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { ReorgImpact } from '@dxtrain/shared/contracts';
import { ReorganisationContext, ReorganisationParticipant, ReorganisationParticipantProvider, singleSuccessors, UnitSuccession } from '@dxtrain/server/platform';

/** Courses owned by a closed unit are owned by its successor (so its organisers can still edit them). */
@Injectable()
@ReorganisationParticipantProvider()
export class CoursesReorganisationParticipant implements ReorganisationParticipant {
  async onReorganised(manager: EntityManager, successions: readonly UnitSuccession[], ctx: ReorganisationContext): Promise<ReorgImpact[]> {
    const s = singleSuccessors(successions);
    const moved = (await manager.query(
      `UPDATE courses c SET owner_unit_id = m.to_id FROM unnest($1::uuid[], $2::uuid[]) AS m(from_id, to_id) WHERE c.owner_unit_id = m.from_id RETURNING c.code, m.from_id, m.to_id`,
      [s.from, s.to],
    )) as Array<{ code: string; from_id: string; to_id: string }>;
    const stuck = (await manager.query(`SELECT code, owner_unit_id FROM courses WHERE owner_unit_id = ANY($1::uuid[])`, [s.split])) as Array<{ code: string; owner_unit_id: string }>;
    return [
      {
        area: 'courses',
        changed: moved.map((c) => ({ label: c.code, from: ctx.unitName(c.from_id), to: ctx.unitName(c.to_id) })),
        review: [],
        undecided: stuck.map((c) => ({ label: c.code, reason: `${ctx.unitName(c.owner_unit_id)} was split: choose the owning unit by hand` })),
      },
    ];
  }
}

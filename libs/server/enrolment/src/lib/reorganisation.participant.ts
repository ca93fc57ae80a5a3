import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { ReorgImpact } from '@dxtrain/shared/contracts';
import { ReorganisationContext, ReorganisationParticipant, ReorganisationParticipantProvider, singleSuccessors, UnitSuccession } from '@dxtrain/server/platform';

/** Active audience rules on a closed unit follow its successor (the people they enrol moved there). */
@Injectable()
@ReorganisationParticipantProvider()
export class AudienceRulesReorganisationParticipant implements ReorganisationParticipant {
  async onReorganised(manager: EntityManager, successions: readonly UnitSuccession[], ctx: ReorganisationContext): Promise<ReorgImpact[]> {
    const s = singleSuccessors(successions);
    const moved = (await manager.query(
      `UPDATE audience_rules r SET org_unit_id = m.to_id FROM unnest($1::uuid[], $2::uuid[]) AS m(from_id, to_id)
        WHERE r.org_unit_id = m.from_id AND r.active
        RETURNING r.id, r.training_year, m.from_id, m.to_id, (SELECT code FROM courses c WHERE c.id = r.course_id) AS course`,
      [s.from, s.to],
    )) as Array<{ id: string; training_year: number; from_id: string; to_id: string; course: string | null }>;
    const stuck = (await manager.query(
      `SELECT r.id, r.training_year, r.org_unit_id, (SELECT code FROM courses c WHERE c.id = r.course_id) AS course FROM audience_rules r WHERE r.org_unit_id = ANY($1::uuid[]) AND r.active`,
      [s.split],
    )) as Array<{ id: string; training_year: number; org_unit_id: string; course: string | null }>;
    return [
      {
        area: 'audience_rules',
        changed: moved.map((r) => ({ label: `${r.course ?? r.id} (${r.training_year})`, from: ctx.unitName(r.from_id), to: ctx.unitName(r.to_id) })),
        review: [],
        undecided: stuck.map((r) => ({ label: `${r.course ?? r.id} (${r.training_year})`, reason: `${ctx.unitName(r.org_unit_id)} was split: add the rule to each successor that needs it` })),
      },
    ];
  }
}

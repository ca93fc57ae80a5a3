import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { ReorgImpact } from '@dxtrain/shared/contracts';
import { ReorganisationContext, ReorganisationParticipant, ReorganisationParticipantProvider, singleSuccessors, UnitSuccession } from '@dxtrain/server/platform';
import { vnYear } from './status';

/**
 * Training requirements of the effective year and later follow the successor (earlier years keep theirs: those
 * years are counted in the old structure). Every year from the effective year on is recomputed.
 */
@Injectable()
@ReorganisationParticipantProvider()
export class RequirementsReorganisationParticipant implements ReorganisationParticipant {
  async onReorganised(manager: EntityManager, successions: readonly UnitSuccession[], ctx: ReorganisationContext): Promise<ReorgImpact[]> {
    const s = singleSuccessors(successions);
    const years = s.from.map((id) => Number((s.date.get(id) ?? '9999').slice(0, 4)));
    const moved = (await manager.query(
      `UPDATE training_requirements r SET org_unit_id = m.to_id FROM unnest($1::uuid[], $2::uuid[], $3::int[]) AS m(from_id, to_id, year)
        WHERE r.org_unit_id = m.from_id AND r.training_year >= m.year
          -- an identical active rule already on the successor wins; this one stays (listed below)
          AND NOT EXISTS (SELECT 1 FROM training_requirements o WHERE o.org_unit_id = m.to_id AND o.training_year = r.training_year AND o.active AND r.active
                           AND o.network_category IS NOT DISTINCT FROM r.network_category AND lower(o.position) IS NOT DISTINCT FROM lower(r.position))
        RETURNING r.id, r.training_year, r.min_periods, m.from_id, m.to_id`,
      [s.from, s.to, years],
    )) as Array<{ id: string; training_year: number; min_periods: number | null; from_id: string; to_id: string }>;
    const stuck = (await manager.query(
      `SELECT r.id, r.training_year, r.min_periods, r.org_unit_id, l.effective_date::text AS date
         FROM training_requirements r JOIN unnest($1::uuid[], $2::text[]) AS l(unit_id, effective_date) ON l.unit_id = r.org_unit_id
        WHERE r.active AND r.training_year >= EXTRACT(YEAR FROM l.effective_date::date)`,
      [successions.map((x) => x.unitId), successions.map((x) => x.effectiveDate)],
    )) as Array<{ id: string; training_year: number; min_periods: number | null; org_unit_id: string }>;
    const first = Math.min(...successions.map((x) => Number(x.effectiveDate.slice(0, 4))), vnYear());
    for (let y = first; y <= vnYear(); y++) {
      await manager.query(
        `INSERT INTO compliance_refresh_state (training_year, dirty) VALUES ($1, true) ON CONFLICT (training_year) DO UPDATE SET dirty = true`,
        [y],
      );
    }
    const label = (r: { training_year: number; min_periods: number | null }) => `${r.training_year}: ${r.min_periods ?? '—'}`;
    return [
      {
        area: 'training_requirements',
        changed: moved.map((r) => ({ label: label(r), from: ctx.unitName(r.from_id), to: ctx.unitName(r.to_id) })),
        review: [],
        undecided: stuck.map((r) => ({
          label: label(r),
          reason: successions.find((x) => x.unitId === r.org_unit_id)?.kind === 'split'
            ? `${ctx.unitName(r.org_unit_id)} was split: set the requirement on each successor`
            : `the successor already has the same requirement for ${r.training_year}`,
        })),
      },
    ];
  }
}

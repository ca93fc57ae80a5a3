import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { ReorgImpact } from '@dxtrain/shared/contracts';
import { ReorganisationContext, ReorganisationParticipant, ReorganisationParticipantProvider, singleSuccessors, UnitSuccession } from '@dxtrain/server/platform';

/** Role grants on a closed unit move to its successor, and every moved grant is listed for review. */
@Injectable()
@ReorganisationParticipantProvider()
export class GrantsReorganisationParticipant implements ReorganisationParticipant {
  async onReorganised(manager: EntityManager, successions: readonly UnitSuccession[], ctx: ReorganisationContext): Promise<ReorgImpact[]> {
    const s = singleSuccessors(successions);
    const candidates = (await manager.query(
      `SELECT g.id, u.username, g.role, m.from_id, m.to_id,
              row_number() OVER (PARTITION BY g.user_id, g.role, m.to_id ORDER BY g.id) AS rn,
              EXISTS (SELECT 1 FROM role_grants o WHERE o.user_id = g.user_id AND o.role = g.role AND o.org_unit_id = m.to_id) AS already
         FROM role_grants g JOIN unnest($1::uuid[], $2::uuid[]) AS m(from_id, to_id) ON g.org_unit_id = m.from_id
         JOIN users u ON u.id = g.user_id ORDER BY u.username`,
      [s.from, s.to],
    )) as Array<{ id: string; username: string; role: string; from_id: string; to_id: string; rn: string; already: boolean }>;
    // Two grants that land on the same successor (a user granted on both former provinces) become one.
    const drop = candidates.filter((g) => g.already || Number(g.rn) > 1);
    const keep = candidates.filter((g) => !g.already && Number(g.rn) === 1);
    if (drop.length) await manager.query(`DELETE FROM role_grants WHERE id = ANY($1::uuid[])`, [drop.map((g) => g.id)]);
    if (keep.length) {
      await manager.query(`UPDATE role_grants g SET org_unit_id = k.to_id FROM unnest($1::uuid[], $2::uuid[]) AS k(id, to_id) WHERE g.id = k.id`, [
        keep.map((g) => g.id),
        keep.map((g) => g.to_id),
      ]);
    }
    const moved = candidates;
    const stuck = (await manager.query(
      `SELECT u.username, g.role, g.org_unit_id FROM role_grants g JOIN users u ON u.id = g.user_id WHERE g.org_unit_id = ANY($1::uuid[]) ORDER BY u.username`,
      [s.split],
    )) as Array<{ username: string; role: string; org_unit_id: string }>;
    return [
      {
        area: 'role_grants',
        changed: moved.map((g) => ({ label: `${g.username} (${g.role})`, from: ctx.unitName(g.from_id), to: ctx.unitName(g.to_id) })),
        review: moved.map((g) => ({ label: `${g.username} (${g.role})`, reason: `now covers ${ctx.unitName(g.to_id)}: check the grant is still right` })),
        undecided: stuck.map((g) => ({ label: `${g.username} (${g.role})`, reason: `${ctx.unitName(g.org_unit_id)} was split: grant the right successor by hand` })),
      },
    ];
  }
}

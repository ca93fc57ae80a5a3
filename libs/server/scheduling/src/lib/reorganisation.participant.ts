import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { ReorgImpact } from '@dxtrain/shared/contracts';
import { ReorganisationContext, ReorganisationParticipant, ReorganisationParticipantProvider, singleSuccessors, UnitSuccession } from '@dxtrain/server/platform';

/**
 * Classes not yet finished that a closed unit organises follow its successor; registrations waiting for approval
 * of people who moved are listed (their unit managers are now the new unit's).
 */
@Injectable()
@ReorganisationParticipantProvider()
export class ClassesReorganisationParticipant implements ReorganisationParticipant {
  async onReorganised(manager: EntityManager, successions: readonly UnitSuccession[], ctx: ReorganisationContext): Promise<ReorgImpact[]> {
    const s = singleSuccessors(successions);
    const moved = (await manager.query(
      `UPDATE training_classes c SET org_unit_id = m.to_id, updated_at = now() FROM unnest($1::uuid[], $2::uuid[]) AS m(from_id, to_id)
        WHERE c.org_unit_id = m.from_id AND c.status NOT IN ('completed', 'cancelled')
        RETURNING c.title, m.from_id, m.to_id`,
      [s.from, s.to],
    )) as Array<{ title: string; from_id: string; to_id: string }>;
    const stuck = (await manager.query(
      `SELECT title, org_unit_id FROM training_classes WHERE org_unit_id = ANY($1::uuid[]) AND status NOT IN ('completed', 'cancelled')`,
      [s.split],
    )) as Array<{ title: string; org_unit_id: string }>;
    const personIds = [...ctx.movedPeople.keys()];
    const pending = (await manager.query(
      `SELECT c.title, p.full_name, p.org_unit_id FROM class_registrations r JOIN training_classes c ON c.id = r.class_id JOIN people p ON p.id = r.person_id
        WHERE r.status = 'pending_approval' AND r.person_id = ANY($1::uuid[]) ORDER BY c.title, p.sort_key COLLATE "C" LIMIT 500`,
      [personIds],
    )) as Array<{ title: string; full_name: string; org_unit_id: string }>;
    return [
      {
        area: 'classes',
        changed: moved.map((c) => ({ label: c.title, from: ctx.unitName(c.from_id), to: ctx.unitName(c.to_id) })),
        review: [],
        undecided: stuck.map((c) => ({ label: c.title, reason: `${ctx.unitName(c.org_unit_id)} was split: choose the organising unit by hand` })),
      },
      {
        area: 'registrations',
        changed: [],
        review: pending.map((r) => ({ label: `${r.full_name} — ${r.title}`, reason: `awaiting approval; now approved by the managers of ${ctx.unitName(r.org_unit_id)}` })),
        undecided: [],
      },
    ];
  }
}

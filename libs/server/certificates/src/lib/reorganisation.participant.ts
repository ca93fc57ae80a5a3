import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { ReorgImpact } from '@dxtrain/shared/contracts';
import { ReorganisationContext, ReorganisationParticipant, ReorganisationParticipantProvider, UnitSuccession } from '@dxtrain/server/platform';

/**
 * Certificates already issued never change (they keep their issuer, template and serial). A closed issuer's
 * template stays with it; a successor without a template of its own inherits the nearest one up its tree, which
 * the report names so that someone checks signer and wording. A new province is a new issuer: its serials get
 * its own prefix (its code) and it gets its own signing key at the first issue.
 */
@Injectable()
@ReorganisationParticipantProvider()
export class CertificatesReorganisationParticipant implements ReorganisationParticipant {
  async onReorganised(manager: EntityManager, successions: readonly UnitSuccession[], ctx: ReorganisationContext): Promise<ReorgImpact[]> {
    const closedWithTemplate = (await manager.query(
      `SELECT t.issuer_unit_id FROM certificate_templates t WHERE t.issuer_unit_id = ANY($1::uuid[])`,
      [successions.map((s) => s.unitId)],
    )) as Array<{ issuer_unit_id: string }>;
    const review: ReorgImpact['review'] = [];
    for (const t of closedWithTemplate) {
      const s = successions.find((x) => x.unitId === t.issuer_unit_id);
      for (const to of s?.successorIds ?? []) {
        const [nearest] = (await manager.query(
          `SELECT a.name FROM org_units u JOIN org_units a ON u.path LIKE a.path || '%' JOIN certificate_templates ct ON ct.issuer_unit_id = a.id
            WHERE u.id = $1 ORDER BY a.depth DESC LIMIT 1`,
          [to],
        )) as Array<{ name: string }>;
        review.push({
          label: ctx.unitName(t.issuer_unit_id),
          reason: nearest ? `${ctx.unitName(to)} now uses the template of ${nearest.name}` : `${ctx.unitName(to)} has no template: certificates use the default layout until one is set`,
        });
      }
    }
    const roots = (await manager.query(`SELECT id, code, name FROM org_units WHERE id = ANY($1::uuid[])`, [ctx.newRootIds])) as Array<{ id: string; code: string; name: string }>;
    return [
      {
        area: 'certificate_templates',
        changed: [],
        review,
        undecided: [],
      },
      {
        area: 'certificate_serials',
        changed: roots.map((r) => ({ label: r.name, from: '—', to: `${r.code}-<năm>-000001` })),
        review: [],
        undecided: [],
      },
    ];
  }
}

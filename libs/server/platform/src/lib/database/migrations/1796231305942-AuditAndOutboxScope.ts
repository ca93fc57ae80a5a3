import { MigrationInterface, QueryRunner } from "typeorm";

export class AuditAndOutboxScope1796231305942 implements MigrationInterface {
    name = 'AuditAndOutboxScope1796231305942'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            ALTER TABLE "audit_events"
            ADD "org_unit_ids" uuid array NOT NULL DEFAULT '{}'
        `);
        await queryRunner.query(`
            ALTER TABLE "audit_events"
            ADD "person_id" uuid
        `);
        await queryRunner.query(`
            ALTER TABLE "outbox_messages"
            ADD "person_id" uuid
        `);
        await queryRunner.query(`
            ALTER TABLE "outbox_messages"
            ADD "org_unit_id" uuid
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_outbox_messages_org_unit" ON "outbox_messages" ("org_unit_id", "created_at")
        `);
        // Admin views filter with `org_unit_ids && <the reader's units>`.
        await queryRunner.query(`
            CREATE INDEX "IDX_audit_events_org_unit_ids" ON "audit_events" USING gin ("org_unit_ids")
        `);
        await AuditAndOutboxScope1796231305942.backfill(queryRunner);
    }

    /**
     * Places old audit events and outbox messages (also run by the admin-scope test on rows written without a place).
     */
    static async backfill(queryRunner: Pick<QueryRunner, 'query'>): Promise<void> {
        // Only rows not placed yet. Back-fill what can be derived for sure; the rest (failed sign-ins of unknown names, seeding, deleted rows)
        // stays placed nowhere: deployment-wide admins only. A person counts in the unit they were in at the time
        // (person_unit_history), else their current one.
        await queryRunner.query(`
            WITH placed(event_id, unit_id, person_id) AS (
                SELECT e.id, u.id, NULL::uuid FROM audit_events e JOIN org_units u ON u.id::text IN (e.before ->> 'orgUnitId', e.after ->> 'orgUnitId')
                UNION ALL
                SELECT e.id, u.id, NULL FROM audit_events e JOIN org_units u ON u.id::text = e.entity_id WHERE e.entity_type = 'org_unit'
                UNION ALL
                SELECT e.id, NULL, p.id FROM audit_events e JOIN people p ON p.id::text = e.entity_id WHERE e.entity_type = 'person'
                UNION ALL
                SELECT e.id, NULL, us.person_id FROM audit_events e JOIN users us ON us.id::text = e.entity_id WHERE e.entity_type = 'user' AND us.person_id IS NOT NULL
                UNION ALL
                SELECT e.id, g.org_unit_id, NULL FROM audit_events e JOIN role_grants g ON g.user_id::text = e.entity_id WHERE e.entity_type = 'user'
                UNION ALL
                SELECT e.id, c.owner_unit_id, NULL FROM audit_events e JOIN courses c ON c.id::text = e.entity_id WHERE e.entity_type = 'course'
                UNION ALL
                SELECT e.id, c.owner_unit_id, NULL FROM audit_events e JOIN quizzes q ON q.id::text = e.entity_id JOIN courses c ON c.id = q.course_id WHERE e.entity_type = 'quiz'
                UNION ALL
                SELECT e.id, ct.issuer_unit_id, ct.person_id FROM audit_events e JOIN certificates ct ON ct.id::text = e.entity_id WHERE e.entity_type = 'certificate'
                UNION ALL
                SELECT e.id, k.org_unit_id, NULL FROM audit_events e JOIN training_classes k ON k.id::text = e.entity_id WHERE e.entity_type = 'training_class'
                UNION ALL
                SELECT e.id, k.org_unit_id, NULL FROM audit_events e JOIN class_sessions s ON s.id::text = e.entity_id JOIN training_classes k ON k.id = s.class_id
                 WHERE e.entity_type = 'class_session'
                UNION ALL
                SELECT e.id, k.org_unit_id, r.person_id FROM audit_events e JOIN class_registrations r ON r.id::text = e.entity_id JOIN training_classes k ON k.id = r.class_id
                 WHERE e.entity_type = 'class_registration'
                UNION ALL
                SELECT e.id, NULL, en.person_id FROM audit_events e JOIN enrolments en ON en.id::text = e.entity_id WHERE e.entity_type = 'enrolment'
                UNION ALL
                SELECT e.id, a.org_unit_id, NULL FROM audit_events e JOIN audience_rules a ON a.id::text = e.entity_id WHERE e.entity_type = 'audience_rule'
                UNION ALL
                SELECT e.id, t.org_unit_id, NULL FROM audit_events e JOIN training_requirements t ON t.id::text = e.entity_id WHERE e.entity_type = 'training_requirement'
                UNION ALL
                SELECT e.id, NULL, p.id FROM audit_events e JOIN people p ON p.id::text IN (e.before ->> 'person_id', e.after ->> 'personId')
                 WHERE e.entity_type = 'compliance_exemption'
                UNION ALL
                SELECT e.id, u.id, NULL FROM audit_events e JOIN enrolment_imports i ON i.id::text = e.entity_id
                  CROSS JOIN LATERAL unnest(i.scope_paths) AS sp(path) JOIN org_units u ON u.id::text = substring(sp.path from '([0-9a-fA-F-]{36})/$')
                 WHERE e.entity_type = 'enrolment_import'
                UNION ALL
                SELECT e.id, u.id, NULL FROM audit_events e JOIN reorganisation_plans rp ON rp.id::text = e.entity_id
                  CROSS JOIN LATERAL unnest(rp.root_paths) AS sp(path) JOIN org_units u ON u.id::text = substring(sp.path from '([0-9a-fA-F-]{36})/$')
                 WHERE e.entity_type = 'reorganisation_plan'
            ), resolved AS (
                SELECT event_id, unit_id, person_id FROM placed WHERE unit_id IS NOT NULL
                UNION ALL
                SELECT pl.event_id, COALESCE(h.org_unit_id, p.org_unit_id), pl.person_id
                  FROM placed pl JOIN audit_events e ON e.id = pl.event_id JOIN people p ON p.id = pl.person_id
                  LEFT JOIN LATERAL (
                    SELECT h.org_unit_id FROM person_unit_history h WHERE h.person_id = p.id AND h.valid_from <= e.occurred_at ORDER BY h.valid_from DESC LIMIT 1
                  ) h ON true
            )
            UPDATE audit_events e
               SET org_unit_ids = x.units, person_id = x.person_id
              FROM (SELECT event_id, array_agg(DISTINCT unit_id) AS units, (array_agg(person_id) FILTER (WHERE person_id IS NOT NULL))[1] AS person_id
                      FROM resolved GROUP BY event_id) x
             WHERE e.id = x.event_id AND cardinality(e.org_unit_ids) = 0 AND e.person_id IS NULL
        `);
        // Outbox: ref_id names the enrolment, class registration, person or account the message is about.
        await queryRunner.query(`
            UPDATE outbox_messages m
               SET person_id = COALESCE(en.person_id, r.person_id, p.id, us.person_id)
              FROM outbox_messages o
              LEFT JOIN enrolments en ON en.id = o.ref_id
              LEFT JOIN class_registrations r ON r.id = o.ref_id
              LEFT JOIN people p ON p.id = o.ref_id
              LEFT JOIN users us ON us.id = o.ref_id
             WHERE m.id = o.id AND o.ref_id IS NOT NULL AND o.person_id IS NULL AND COALESCE(en.person_id, r.person_id, p.id, us.person_id) IS NOT NULL
        `);
        await queryRunner.query(`
            UPDATE outbox_messages m
               SET org_unit_id = COALESCE(
                     (SELECT h.org_unit_id FROM person_unit_history h WHERE h.person_id = p.id AND h.valid_from <= m.created_at ORDER BY h.valid_from DESC LIMIT 1),
                     p.org_unit_id)
              FROM people p
             WHERE p.id = m.person_id AND m.org_unit_id IS NULL
        `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            DROP INDEX "public"."IDX_audit_events_org_unit_ids"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_outbox_messages_org_unit"
        `);
        await queryRunner.query(`
            ALTER TABLE "outbox_messages" DROP COLUMN "org_unit_id"
        `);
        await queryRunner.query(`
            ALTER TABLE "outbox_messages" DROP COLUMN "person_id"
        `);
        await queryRunner.query(`
            ALTER TABLE "audit_events" DROP COLUMN "person_id"
        `);
        await queryRunner.query(`
            ALTER TABLE "audit_events" DROP COLUMN "org_unit_ids"
        `);
    }

}

import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { JobName, QueueName } from '@dxtrain/shared/contracts';
import { AppConfig } from '@dxtrain/server/platform';
import { ComplianceRefreshService } from './compliance-refresh.service';
import { vnYear } from './status';

/**
 * Reminders for the current year: each member not yet trained (with an e-mail address) gets one
 * e-mail, and each unit manager a digest of their subtree, at most once per
 * COMPLIANCE_REMINDER_INTERVAL_DAYS (the `compliance_reminders` log, written in the same transaction
 * as the outbox rows, so a retried job sends nothing twice). The rows go to the e-mail outbox
 * (`outbox_messages`) that the notifications queue sends.
 */
@Injectable()
export class ComplianceRemindersService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @InjectQueue(QueueName.Notifications) private readonly notifications: Queue,
    private readonly refresher: ComplianceRefreshService,
    private readonly config: AppConfig,
  ) {}

  async run(now = new Date()): Promise<{ people: number; managers: number }> {
    const year = vnYear(now);
    await this.refresher.refreshDue(this.config.COMPLIANCE_REFRESH_STALE_SECONDS);
    const days = this.config.COMPLIANCE_REMINDER_INTERVAL_DAYS;
    const result = await this.db.transaction(async (tx) => {
      await tx.query(`SELECT pg_advisory_xact_lock(hashtext('compliance-reminders'))`);
      const people = (await tx.query(
        `WITH due AS (
           SELECT s.person_id, p.email, p.full_name, s.periods, s.required_periods, p.org_unit_id AS person_unit_id
             FROM compliance_person_status s JOIN people p ON p.id = s.person_id
            WHERE s.training_year = $1 AND s.status IN ('in_progress', 'not_started') AND p.email IS NOT NULL AND p.active
              AND NOT EXISTS (SELECT 1 FROM compliance_reminders r WHERE r.kind = 'person' AND r.recipient_id = s.person_id
                                AND r.sent_at > now() - make_interval(days => $2))
         ), log AS (
           INSERT INTO compliance_reminders (kind, recipient_id, training_year) SELECT 'person', person_id, $1 FROM due RETURNING recipient_id
         )
         INSERT INTO outbox_messages (to_address, subject, body_text, ref_id, person_id, org_unit_id)
         SELECT d.email, 'Nhắc nhở: hoàn thành bồi dưỡng chuyển đổi số năm ' || $1,
                'Kính gửi ' || d.full_name || E',\n\nTheo kế hoạch, thành viên mạng lưới chuyển đổi số cần hoàn thành bồi dưỡng, tập huấn trong năm ' || $1 ||
                '. Hiện bạn có ' || d.periods || COALESCE('/' || d.required_periods, '') || E' tiết.\nVui lòng đăng nhập dxtrain để học: ' || $3::text ||
                E'/courses\n\n(Thư tự động từ dxtrain)',
                d.person_id, d.person_id, d.person_unit_id
           FROM due d JOIN log ON log.recipient_id = d.person_id
         RETURNING id`,
        [year, days, this.config.PUBLIC_URL],
      )) as unknown[];
      const managers = (await tx.query(
        `WITH m AS (
           SELECT DISTINCT ON (us.id) us.id AS user_id, p.email, us.display_name, g.org_unit_id, u.path, u.name AS unit_name,
                  p.id AS person_id, p.org_unit_id AS person_unit_id
             FROM role_grants g JOIN users us ON us.id = g.user_id AND us.active JOIN people p ON p.id = us.person_id JOIN org_units u ON u.id = g.org_unit_id
            WHERE g.role = 'unit_manager' AND p.email IS NOT NULL
              AND NOT EXISTS (SELECT 1 FROM compliance_reminders r WHERE r.kind = 'manager' AND r.recipient_id = us.id
                                AND r.sent_at > now() - make_interval(days => $2))
            ORDER BY us.id, u.depth
         ), counts AS (
           SELECT m.user_id, count(*) FILTER (WHERE s.status IN ('in_progress', 'not_started'))::int AS untrained, count(*)::int AS members
             FROM m JOIN org_units su ON su.path LIKE m.path || '%' JOIN compliance_person_status s ON s.org_unit_id = su.id AND s.training_year = $1
            GROUP BY m.user_id
         ), due AS (
           SELECT m.*, c.untrained, c.members FROM m JOIN counts c ON c.user_id = m.user_id WHERE c.untrained > 0
         ), log AS (
           INSERT INTO compliance_reminders (kind, recipient_id, training_year) SELECT 'manager', user_id, $1 FROM due RETURNING recipient_id
         )
         INSERT INTO outbox_messages (to_address, subject, body_text, ref_id, person_id, org_unit_id)
         SELECT d.email, left('Tổng hợp: ' || d.untrained || ' thành viên chưa hoàn thành bồi dưỡng năm ' || $1 || ' - ' || d.unit_name, 255), -- subject is varchar(255), as writeOutboxMessages cuts it
                'Kính gửi ' || d.display_name || E',\n\n' || d.unit_name || ' có ' || d.untrained || '/' || d.members ||
                ' thành viên mạng lưới chuyển đổi số chưa hoàn thành bồi dưỡng năm ' || $1 || E'.\nXem danh sách: ' || $3::text || E'/dashboard\n\n(Thư tự động từ dxtrain)',
                d.user_id, d.person_id, d.person_unit_id
           FROM due d JOIN log ON log.recipient_id = d.user_id
         RETURNING id`,
        [year, days, this.config.PUBLIC_URL],
      )) as unknown[];
      return { people: people.length, managers: managers.length };
    });
    if (result.people + result.managers > 0) await this.notifications.add(JobName.NotificationsFlush, {});
    return result;
  }
}

import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createTransport, Transporter } from 'nodemailer';
import { DataSource, EntityManager } from 'typeorm';
import { OutboxMessage } from '@dxtrain/shared/contracts';
import { adminScope } from '@dxtrain/server/audit';
import { Actor, AppConfig } from '@dxtrain/server/platform';
import type { OutboxAttachment } from './enrolment.entity';

/** Retries of one message before it is marked failed (admins can re-queue it). */
export const MAX_SEND_ATTEMPTS = 5;

export interface NewOutboxMessage {
  to: string;
  subject: string;
  bodyText: string;
  refId?: string | null;
  attachments?: OutboxAttachment[] | null;
  /** The person addressed: their unit places the message in the admin views (unplaced ones: deployment-wide admins only). */
  personId?: string | null;
}

/** Queues e-mail in the caller's transaction (other domains announce their changes this way). */
export async function writeOutboxMessages(tx: EntityManager, messages: NewOutboxMessage[]): Promise<number> {
  if (messages.length === 0) return 0;
  await tx.query(
    `INSERT INTO outbox_messages (to_address, subject, body_text, ref_id, attachments, person_id, org_unit_id)
     SELECT m.to_address, m.subject, m.body_text, m.ref_id, m.attachments, m.person_id, p.org_unit_id
       FROM unnest($1::varchar[], $2::varchar[], $3::text[], $4::uuid[], $5::jsonb[], $6::uuid[])
            AS m(to_address, subject, body_text, ref_id, attachments, person_id)
       LEFT JOIN people p ON p.id = m.person_id`,
    [
      messages.map((m) => m.to),
      messages.map((m) => m.subject.slice(0, 255)),
      messages.map((m) => m.bodyText),
      messages.map((m) => m.refId ?? null),
      messages.map((m) => (m.attachments?.length ? JSON.stringify(m.attachments) : null)),
      messages.map((m) => m.personId ?? null),
    ],
  );
  return messages.length;
}

/**
 * Sends the outbox. Messages are claimed with FOR UPDATE SKIP LOCKED so several workers never
 * send one twice; a failed send stays pending (retried by the next flush) until MAX_SEND_ATTEMPTS.
 * Without SMTP_URL messages are marked "held": kept for admins to read, never lost.
 */
@Injectable()
export class OutboxService implements OnModuleDestroy {
  private readonly logger = new Logger(OutboxService.name);
  private transport: Transporter | null = null;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly config: AppConfig,
  ) {}

  onModuleDestroy(): void {
    this.transport?.close();
  }

  private mailer(): Transporter | null {
    if (!this.config.SMTP_URL) return null;
    this.transport ??= createTransport(this.config.SMTP_URL);
    return this.transport;
  }

  /** Sends up to `limit` pending messages per batch until none are left; returns counts. */
  async flush(limit = 100): Promise<{ sent: number; held: number; failed: number }> {
    const totals = { sent: 0, held: 0, failed: 0 };
    const mailer = this.mailer();
    if (!mailer) {
      const held = (await this.db.query(`UPDATE outbox_messages SET status = 'held' WHERE status = 'pending' RETURNING id`)) as [unknown[], number];
      totals.held = Array.isArray(held[0]) ? held[0].length : 0;
      return totals;
    }
    for (;;) {
      const done = await this.db.transaction(async (tx) => {
        const batch = (await tx.query(
          `SELECT id, to_address, subject, body_text, attempts, attachments FROM outbox_messages
            WHERE status = 'pending' ORDER BY created_at LIMIT $1 FOR UPDATE SKIP LOCKED`,
          [limit],
        )) as Array<{ id: string; to_address: string; subject: string; body_text: string; attempts: number; attachments: OutboxAttachment[] | null }>;
        for (const m of batch) {
          try {
            await mailer.sendMail({
              from: this.config.SMTP_FROM,
              to: m.to_address,
              subject: m.subject,
              text: m.body_text,
              ...(m.attachments?.length ? { attachments: m.attachments } : {}),
            });
            await tx.query(`UPDATE outbox_messages SET status = 'sent', sent_at = now(), attempts = attempts + 1, last_error = NULL WHERE id = $1`, [m.id]);
            totals.sent++;
          } catch (e) {
            const final = m.attempts + 1 >= MAX_SEND_ATTEMPTS;
            await tx.query(`UPDATE outbox_messages SET attempts = attempts + 1, last_error = $2, status = $3 WHERE id = $1`, [
              m.id,
              String((e as Error).message).slice(0, 1000),
              final ? 'failed' : 'pending',
            ]);
            if (final) totals.failed++;
            this.logger.warn(`send to ${m.to_address} failed (attempt ${m.attempts + 1}): ${(e as Error).message}`);
          }
        }
        return batch.length < limit;
      });
      if (done) break;
    }
    return totals;
  }

  /** Pending messages left after a flush (failures waiting for a retry). */
  async pendingCount(): Promise<number> {
    const [{ n }] = (await this.db.query(`SELECT count(*)::int AS n FROM outbox_messages WHERE status = 'pending'`)) as Array<{ n: number }>;
    return n;
  }

  /**
   * The newest messages the caller may read: addressed to people of their admin scope; messages placed in no unit
   * only for deployment-wide admins.
   */
  async list(actor: Actor, status?: string, limit = 100): Promise<OutboxMessage[]> {
    const scope = await adminScope(this.db, actor);
    if (!scope.all && scope.patterns.length === 0) return [];
    const rows = (await this.db.query(
      `SELECT m.id, m.to_address, m.subject, m.status, m.attempts, m.last_error, m.created_at, m.sent_at FROM outbox_messages m
        WHERE ($2::text IS NULL OR m.status = $2)
          AND ($3::text[] IS NULL OR m.org_unit_id IN (SELECT u.id FROM org_units u WHERE u.path LIKE ANY($3::text[])))
        ORDER BY m.created_at DESC LIMIT $1`,
      [limit, status ?? null, scope.all ? null : scope.patterns],
    )) as Array<{ id: string; to_address: string; subject: string; status: OutboxMessage['status']; attempts: number; last_error: string | null; created_at: Date; sent_at: Date | null }>;
    return rows.map((r) => ({
      id: r.id,
      to: r.to_address,
      subject: r.subject,
      status: r.status,
      attempts: r.attempts,
      lastError: r.last_error,
      createdAt: r.created_at.toISOString(),
      sentAt: r.sent_at?.toISOString() ?? null,
    }));
  }

  /** Puts failed or held messages back in the queue (after fixing SMTP, say). */
  async requeue(ids?: string[]): Promise<number> {
    const rows = (await this.db.query(
      `UPDATE outbox_messages SET status = 'pending', attempts = 0 WHERE status IN ('failed', 'held') ${ids ? 'AND id = ANY($1::uuid[])' : ''} RETURNING id`,
      ids ? [ids] : [],
    )) as [unknown[], number];
    return Array.isArray(rows[0]) ? rows[0].length : 0;
  }
}

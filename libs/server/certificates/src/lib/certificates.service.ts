import { createHash, createHmac, KeyObject, randomUUID, timingSafeEqual } from 'node:crypto';
import { Readable } from 'node:stream';
import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Queue } from 'bullmq';
import { ZipFile } from 'yazl';
import type Redis from 'ioredis';
import { DataSource, EntityManager, In } from 'typeorm';
import { AuditService } from '@dxtrain/server/audit';
import { FileOwnerKind, FilesService } from '@dxtrain/server/catalog';
import { Actor, AppConfig, DomainException, REDIS } from '@dxtrain/server/platform';
import {
  BULK_VERIFY_MAX_LINES,
  CertificateBatchResult,
  CertificateItem,
  CertificateStatus,
  CertificateTemplate,
  CertificateTemplateInput,
  ClassCompletedEvent,
  COURSE_EDITOR_ROLES,
  CourseCompletedEvent,
  ErrorCode,
  JobName,
  normaliseVerificationCode,
  PdfVerification,
  PublicKeyInfo,
  PublicVerification,
  QueueName,
  Role,
} from '@dxtrain/shared/contracts';
import { CertificateEntity, CertificateTemplateEntity, SigningKeyEntity } from './certificate.entity';
import { renderCertificatePdf } from './renderer';
import { canonicalPayload, decryptPrivateKey, encryptPrivateKey, newKeyPair, newVerificationCode, SignedFields, signPayload } from './signing';

/** The signer block when no template applies (a unit sets its own with `PUT /api/certificate-templates/:unitId`). */
const DEFAULT_SIGNER_TITLE = 'THỦ TRƯỞNG ĐƠN VỊ';
/** Largest number of PDFs in one ZIP download. */
export const ARCHIVE_MAX_CERTIFICATES = 20_000;
const HR_ROLES: readonly Role[] = [Role.Admin, Role.Hr, Role.Organiser];
/**
 * Lifetime of a certificate's signed PDF URL. The status is checked at every download, so a
 * revoked or superseded certificate's URL stops working at once; the expiry only bounds how long a
 * leaked link of a valid certificate works.
 */
export const PDF_URL_TTL_SECONDS = 3600;

/** 429 of the verification limiter: says when the window reopens (the controller sends it as Retry-After). */
export class VerifyRateLimitedException extends DomainException {
  constructor(
    readonly retryAfterSeconds: number,
    limit: number,
    remaining: number,
  ) {
    super(
      ErrorCode.TooManyRequests,
      429,
      [
        { field: 'retryAfterSeconds', message: String(retryAfterSeconds) },
        { field: 'remaining', message: String(remaining) },
        { field: 'limitPerMinute', message: String(limit) },
      ],
      {
        vi: `Quá nhiều lượt tra cứu chứng nhận từ địa chỉ mạng này (tối đa ${limit} lượt mỗi phút, còn ${remaining}). Vui lòng thử lại sau ${retryAfterSeconds} giây.`,
        en: `Too many certificate lookups from this network address (at most ${limit} per minute, ${remaining} left). Please try again in ${retryAfterSeconds} seconds.`,
      },
    );
  }
}

/** A rendered certificate PDF, ready to stream to a download. */
export interface CertificatePdf {
  fileName: string;
  size: number;
  stream: Readable;
}

interface IssueSource {
  personId: string;
  courseId: string | null;
  classId?: string | null;
  completionId: string | null;
  trainingYear: number;
  issuedAt: Date;
  holderName: string;
  courseTitle: string;
  periods: number;
  ownerUnitId: string;
  ownerUnitName: string;
  ownerPath: string;
}

/**
 * Issuing (from `course.completed`, exactly once per person, course and training year), signing
 * (Ed25519 per issuing province), rendering (worker), verifying (public, rate-limited), revoking
 * and correcting (organisers in scope).
 */
@Injectable()
export class CertificatesService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(CertificatesService.name);
  /**
   * Verified certificates by code, per process (the public check is the hot path: QR scans, HR
   * bulk checks). Evicted through Redis pub/sub on every change, in every process.
   */
  private readonly verified = new Map<string, { at: number; c: CertificateEntity | null }>();
  private static readonly VERIFIED_MAX = 50_000;
  private subscriber: Redis | null = null;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly config: AppConfig,
    private readonly files: FilesService,
    private readonly audit: AuditService,
    @InjectQueue(QueueName.Certificates) private readonly queue: Queue,
    @Inject(REDIS) private readonly redis: Redis,
  ) {}

  private get changedChannel(): string {
    return `${this.config.REDIS_PREFIX}:certificates:changed`;
  }

  async onModuleInit(): Promise<void> {
    if (this.config.VERIFY_CACHE_SECONDS === 0) return;
    // A dedicated connection: a subscribed ioredis client cannot run other commands.
    const sub = this.redis.duplicate({ keyPrefix: undefined, enableOfflineQueue: true });
    this.subscriber = sub;
    sub.on('message', (_channel: string, code: string) => this.verified.delete(code));
    // Messages may have been missed while disconnected: start from an empty cache.
    sub.on('ready', () => this.verified.clear());
    sub.on('error', (e: Error) => this.logger.warn(`certificate cache subscriber: ${e.message}`));
    await sub.subscribe(this.changedChannel).catch((e: Error) => this.logger.warn(`certificate cache disabled until Redis answers: ${e.message}`));
  }

  async onModuleDestroy(): Promise<void> {
    if (this.rateFlush) clearTimeout(this.rateFlush);
    await this.flushRate();
    if (this.rateFlush) clearTimeout(this.rateFlush);
    await this.subscriber?.quit().catch(() => this.subscriber?.disconnect());
  }

  /** Tells every process that this certificate changed (after commit). */
  private async changed(code: string): Promise<void> {
    this.verified.delete(code);
    await this.redis.publish(this.changedChannel, code).catch((e: Error) => this.logger.warn(`could not publish a certificate change: ${e.message}`));
  }

  verifyUrl(code: string): string {
    return `${this.config.PUBLIC_URL.replace(/\/$/, '')}/verify/${code}`;
  }

  // ---- issuing -------------------------------------------------------------------------------

  /** Consumer of `course.completed`: issues the certificate once, then queues its PDF. */
  onCourseCompleted(event: CourseCompletedEvent): Promise<string | null> {
    return this.issueForCompletion(event.completionId);
  }

  /** The certificate of one course completion (event, manual issue or batch): everything printed comes from the completion. */
  private async issueForCompletion(completionId: string): Promise<string | null> {
    const [row] = await this.db.query(
      `SELECT cc.person_id, cc.course_id, cc.training_year, cc.completed_at, p.full_name, v.title, v.periods,
              c.owner_unit_id, u.name AS owner_name, u.path AS owner_path
         FROM course_completions cc
         JOIN people p ON p.id = cc.person_id
         JOIN course_versions v ON v.id = cc.version_id
         JOIN courses c ON c.id = cc.course_id
         JOIN org_units u ON u.id = c.owner_unit_id
        WHERE cc.id = $1`,
      [completionId],
    );
    // A completion rolled back after its event was published: nothing to certify.
    if (!row) return null;
    return this.issue({
      personId: row.person_id,
      courseId: row.course_id,
      completionId,
      trainingYear: row.training_year,
      issuedAt: row.completed_at,
      holderName: row.full_name,
      courseTitle: row.title,
      periods: row.periods,
      ownerUnitId: row.owner_unit_id,
      ownerUnitName: row.owner_name,
      ownerPath: row.owner_path,
    });
  }

  /**
   * Consumer of `class.completed`: a class linked to a course certifies that course (one per person,
   * course and year, whichever came first: the class or the self-paced course); a class without one
   * certifies the class. The class's organiser unit issues it.
   */
  async onClassCompleted(event: ClassCompletedEvent): Promise<string | null> {
    const [row] = await this.db.query(
      `SELECT p.full_name, u.name AS unit_name, u.path AS unit_path FROM people p, org_units u WHERE p.id = $1 AND u.id = $2`,
      [event.personId, event.organiserUnitId],
    );
    if (!row) return null;
    return this.issue({
      personId: event.personId,
      courseId: event.courseId,
      classId: event.classId,
      completionId: event.completionId,
      trainingYear: event.trainingYear,
      issuedAt: new Date(event.completedAt),
      holderName: row.full_name,
      courseTitle: event.classTitle,
      periods: event.periods,
      ownerUnitId: event.organiserUnitId,
      ownerUnitName: row.unit_name,
      ownerPath: row.unit_path,
    });
  }

  /** Organisers: a certificate for one learner who completed the course in the year (manual issue). */
  async issueManually(actor: Actor, courseId: string, personId: string, year?: number): Promise<CertificateItem> {
    await this.courseInScope(actor, courseId);
    const [completion] = await this.db.query(
      `SELECT id FROM course_completions
        WHERE course_id = $1 AND person_id = $2 AND ($3::int IS NULL OR training_year = $3) ORDER BY training_year DESC LIMIT 1`,
      [courseId, personId, year ?? null],
    );
    if (!completion) throw DomainException.conflict(ErrorCode.CertificateNotEligible);
    const id = await this.issueForCompletion(completion.id);
    if (!id) throw DomainException.conflict(ErrorCode.CertificateNotEligible);
    return this.item(await this.db.getRepository(CertificateEntity).findOneByOrFail({ id }));
  }

  /** Organisers: certificates for every completion of a course (optionally one year) that has none; the worker issues them. */
  async requestBatch(actor: Actor, courseId: string, year: number | null): Promise<CertificateBatchResult> {
    const ownerUnitId = await this.courseInScope(actor, courseId);
    const [counts] = await this.db.query(
      `SELECT count(*)::int AS completions,
              count(ct.id)::int AS issued
         FROM course_completions cc
         LEFT JOIN certificates ct ON ct.person_id = cc.person_id AND ct.course_id = cc.course_id AND ct.training_year = cc.training_year AND ct.status <> 'superseded'
        WHERE cc.course_id = $1 AND ($2::int IS NULL OR cc.training_year = $2)`,
      [courseId, year],
    );
    const queued = counts.completions - counts.issued;
    if (queued > 0) {
      await this.queue.add(JobName.CertificatesIssueBatch, { courseId, year, requestedBy: actor.userId }, { attempts: 3, backoff: { type: 'exponential', delay: 2000 }, removeOnComplete: 100, removeOnFail: 500 });
    }
    await this.audit.record(null, actor, { action: 'certificates.batch_requested', entityType: 'course', entityId: courseId, after: { year, completions: counts.completions, queued }, orgUnitIds: [ownerUnitId] });
    return { completions: counts.completions, alreadyIssued: counts.issued, queued };
  }

  /** Worker: issues the batch one completion at a time (each idempotent, so a retried job is safe). */
  async runBatch(courseId: string, year: number | null): Promise<{ issued: number }> {
    const rows: Array<{ id: string }> = await this.db.query(
      `SELECT cc.id
         FROM course_completions cc
        WHERE cc.course_id = $1 AND ($2::int IS NULL OR cc.training_year = $2)
          AND NOT EXISTS (SELECT 1 FROM certificates ct WHERE ct.person_id = cc.person_id AND ct.course_id = cc.course_id
                                                         AND ct.training_year = cc.training_year AND ct.status <> 'superseded')`,
      [courseId, year],
    );
    for (const r of rows) await this.issueForCompletion(r.id);
    return { issued: rows.length };
  }

  /** The course's owner unit, if the actor edits it (else 404). */
  private async courseInScope(actor: Actor, courseId: string): Promise<string> {
    const [row] = await this.db.query(`SELECT u.id, u.path FROM courses c JOIN org_units u ON u.id = c.owner_unit_id WHERE c.id = $1`, [courseId]);
    if (!row || !actor.covers(row.path, COURSE_EDITOR_ROLES)) throw DomainException.notFound(ErrorCode.CourseNotFound);
    return row.id as string;
  }

  /** Issues (or returns the existing) certificate; the database refuses a second one per person, course and year. */
  async issue(src: IssueSource, opts: { actor?: Actor; version?: number; serial?: string; replaces?: string } = {}): Promise<string> {
    const rootId = src.ownerPath.split('/').filter(Boolean)[0] ?? src.ownerUnitId;
    const { root, template } = await this.ancestry(src.ownerPath);
    // What the certificate is for: the course, else the class (no linked course).
    const subject = src.courseId ? { column: 'course_id', id: src.courseId } : { column: 'class_id', id: src.classId ?? null };
    if (!subject.id) throw new Error('a certificate needs a course or a class');
    const result = await this.db.transaction(async (manager) => {
      await manager.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`certificate:${src.personId}:${subject.id}:${src.trainingYear}`]);
      if (!opts.replaces) {
        const [existing] = await manager.query(
          `SELECT id FROM certificates WHERE person_id = $1 AND ${subject.column} = $2 AND training_year = $3 AND status <> 'superseded'
              ${src.courseId ? '' : 'AND course_id IS NULL'}`,
          [src.personId, subject.id, src.trainingYear],
        );
        if (existing) return { id: existing.id as string, created: false, code: null };
      }
      const key = await this.activeKey(manager, rootId);
      const id = randomUUID();
      await this.audit.record(manager, opts.actor ?? null, {
        action: opts.replaces ? 'certificate.reissued' : 'certificate.issued',
        entityType: 'certificate',
        entityId: id,
        after: { personId: src.personId, courseId: src.courseId, trainingYear: src.trainingYear, replaces: opts.replaces ?? null },
        orgUnitIds: [src.ownerUnitId],
        personId: src.personId,
      });
      // The serial counter is a row lock held until commit: taken last, so issuing in parallel queues on it as briefly as possible.
      const serial = opts.serial ?? (await this.nextSerial(manager, root.code, src.trainingYear));
      const fields: SignedFields = {
        serial,
        version: opts.version ?? 1,
        verificationCode: newVerificationCode(),
        holderName: src.holderName.normalize('NFC'),
        courseTitle: src.courseTitle.normalize('NFC'),
        periods: src.periods,
        issuedAt: src.issuedAt.toISOString(),
        issuer: src.ownerUnitName,
        issuerUnitId: src.ownerUnitId,
        expiresAt: template?.validityMonths ? addMonths(src.issuedAt, template.validityMonths).toISOString() : null,
      };
      const payload = canonicalPayload(fields);
      const entity = manager.getRepository(CertificateEntity).create({
        id,
        serial,
        version: fields.version,
        verificationCode: fields.verificationCode,
        personId: src.personId,
        courseId: src.courseId,
        classId: src.classId ?? null,
        completionId: src.completionId,
        trainingYear: src.trainingYear,
        holderName: fields.holderName,
        courseTitle: fields.courseTitle,
        periods: src.periods,
        issuerUnitId: src.ownerUnitId,
        issuerName: src.ownerUnitName,
        place: template?.place || String(root.name).replace(/^(Tỉnh|Thành phố)\s+/u, ''),
        signerTitle: template?.signerTitle || DEFAULT_SIGNER_TITLE,
        signerName: template?.signerName ?? '',
        subtitle: template?.subtitle ?? null,
        logoFileId: template?.logoFileId ?? null,
        issuedAt: src.issuedAt,
        expiresAt: fields.expiresAt ? new Date(fields.expiresAt) : null,
        status: CertificateStatus.Valid,
        keyId: key.id,
        signedPayload: payload,
        signature: signPayload(payload, this.privateKey(key)),
      });
      await manager.getRepository(CertificateEntity).insert(entity);
      if (opts.replaces) {
        await manager.query(`UPDATE certificates SET superseded_by = $2 WHERE id = $1`, [opts.replaces, id]);
      }
      return { id, created: true, code: fields.verificationCode };
    });
    if (result.created) {
      await this.changed(result.code as string);
      await this.queueRender(result.id);
    }
    return result.id;
  }

  /** Decrypted private keys, per key id, for the life of the process. */
  private readonly keys = new Map<string, KeyObject>();
  private privateKey(key: SigningKeyEntity): KeyObject {
    let k = this.keys.get(key.id);
    if (!k) this.keys.set(key.id, (k = decryptPrivateKey(key.privateKeyEncrypted, this.config.JWT_SECRET)));
    return k;
  }

  private async nextSerial(manager: EntityManager, prefix: string, year: number): Promise<string> {
    const [{ last_number: n }] = await manager.query(
      `INSERT INTO certificate_serials (prefix, year, last_number) VALUES ($1, $2, 1)
       ON CONFLICT (prefix, year) DO UPDATE SET last_number = certificate_serials.last_number + 1 RETURNING last_number`,
      [prefix, year],
    );
    return `${prefix}-${year}-${String(n).padStart(6, '0')}`;
  }

  /** The issuer's active key, created on first use. */
  private async activeKey(manager: EntityManager, issuerUnitId: string): Promise<SigningKeyEntity> {
    const repo = manager.getRepository(SigningKeyEntity);
    const existing = await repo.findOneBy({ issuerUnitId, active: true });
    if (existing) return existing;
    const { publicKeyPem, privateKey } = newKeyPair();
    await manager
      .createQueryBuilder()
      .insert()
      .into(SigningKeyEntity)
      .values({ issuerUnitId, publicKeyPem, privateKeyEncrypted: encryptPrivateKey(privateKey, this.config.JWT_SECRET), active: true })
      .orIgnore()
      .execute();
    return repo.findOneByOrFail({ issuerUnitId, active: true });
  }

  queueRender(certificateId: string): Promise<unknown> {
    return this.queue.add(JobName.CertificateRender, { certificateId }, { jobId: `certificate.render.${certificateId}`, attempts: 5, backoff: { type: 'exponential', delay: 2000 }, removeOnComplete: 1000, removeOnFail: 5000 });
  }

  /** Worker: renders and stores the PDF once; a redelivered job finds it done. */
  async render(certificateId: string): Promise<{ sha256: string } | null> {
    const c = await this.db.getRepository(CertificateEntity).findOneBy({ id: certificateId });
    if (!c) return null;
    if (c.fileId && c.sha256) return { sha256: c.sha256 };
    const pdf = await renderCertificatePdf({ ...c, verifyUrl: this.verifyUrl(c.verificationCode), logo: c.logoFileId ? await this.logo(c.logoFileId) : null });
    const sha256 = createHash('sha256').update(pdf).digest('hex');
    const file = await this.files.storeBuffer(pdf, `chung-nhan-${c.serial}${c.version > 1 ? `-v${c.version}` : ''}.pdf`, 'application/pdf', null, { kind: FileOwnerKind.Certificate, id: c.id });
    await this.db.query(`UPDATE certificates SET file_id = $2, sha256 = $3, rendered_at = now() WHERE id = $1 AND file_id IS NULL`, [certificateId, file.id, sha256]);
    return { sha256 };
  }

  /** Logos are small and shared by every certificate of an issuer: read once per process. */
  private readonly logos = new Map<string, Promise<Buffer | null>>();
  private logo(fileId: string): Promise<Buffer | null> {
    let p = this.logos.get(fileId);
    if (!p) {
      p = this.files.find(fileId).then((f) => (f ? this.files.readBuffer(f) : null));
      this.logos.set(fileId, p);
      p.catch(() => this.logos.delete(fileId));
    }
    return p;
  }

  /** Worker start-up: queue PDFs that were never rendered (e.g. Redis was down right after issue). */
  async queueMissingRenders(): Promise<number> {
    const rows: Array<{ id: string }> = await this.db.query(`SELECT id FROM certificates WHERE file_id IS NULL AND status <> 'superseded' LIMIT 10000`);
    for (const r of rows) await this.queueRender(r.id);
    return rows.length;
  }

  // ---- reading -------------------------------------------------------------------------------

  private status(c: Pick<CertificateEntity, 'status' | 'expiresAt'>): CertificateStatus {
    return c.status === CertificateStatus.Valid && c.expiresAt && c.expiresAt.getTime() < Date.now() ? CertificateStatus.Expired : c.status;
  }

  private async item(c: CertificateEntity): Promise<CertificateItem> {
    const downloadable = !!c.fileId && c.status !== CertificateStatus.Revoked && c.status !== CertificateStatus.Superseded;
    return {
      id: c.id,
      serial: c.serial,
      version: c.version,
      verificationCode: c.verificationCode,
      status: this.status(c),
      personId: c.personId,
      holderName: c.holderName,
      courseId: c.courseId,
      classId: c.classId,
      courseTitle: c.courseTitle,
      periods: c.periods,
      trainingYear: c.trainingYear,
      issuedAt: c.issuedAt.toISOString(),
      expiresAt: c.expiresAt?.toISOString() ?? null,
      issuer: c.issuerName,
      revokedAt: c.revokedAt?.toISOString() ?? null,
      revokedReason: c.revokedReason,
      pdfUrl: downloadable ? this.pdfUrl(c.id) : null,
      verifyUrl: this.verifyUrl(c.verificationCode),
    };
  }

  async mine(actor: Actor): Promise<CertificateItem[]> {
    if (!actor.personId) return [];
    const rows = await this.db.getRepository(CertificateEntity).find({ where: { personId: actor.personId }, order: { issuedAt: 'DESC', version: 'DESC' } });
    return Promise.all(rows.filter((c) => c.status !== CertificateStatus.Superseded).map((c) => this.item(c)));
  }

  /** Ids of current certificates issued by units in the actor's scope (optionally of one course or class), newest first. */
  private async idsInScope(actor: Actor, filter: { courseId?: string; classId?: string }, limit: number): Promise<string[]> {
    const scopes = actor.scopePaths(COURSE_EDITOR_ROLES);
    if (scopes.length === 0) throw DomainException.forbidden();
    const params: unknown[] = [scopes.map((s) => `${s}%`)];
    let where = `u.path LIKE ANY($1::text[]) AND ct.status <> 'superseded'`;
    if (filter.courseId) {
      params.push(filter.courseId);
      where += ` AND ct.course_id = $${params.length}`;
    }
    if (filter.classId) {
      params.push(filter.classId);
      where += ` AND ct.class_id = $${params.length}`;
    }
    params.push(limit);
    const rows: Array<{ id: string }> = await this.db.query(
      `SELECT ct.id FROM certificates ct JOIN org_units u ON u.id = ct.issuer_unit_id
        WHERE ${where} ORDER BY ct.issued_at DESC LIMIT $${params.length}`,
      params,
    );
    return rows.map((r) => r.id);
  }

  /** Organisers: certificates issued by the units they manage (optionally of one course or class). */
  async list(actor: Actor, courseId?: string, classId?: string): Promise<CertificateItem[]> {
    const ids = (await this.idsInScope(actor, { courseId, classId }, 2000)).map((id) => ({ id }));
    if (!ids.length) return [];
    const rows = await this.db.getRepository(CertificateEntity).findBy({ id: In(ids.map((r) => r.id)) });
    const byId = new Map(rows.map((r) => [r.id, r]));
    return Promise.all(ids.map((r) => this.item(byId.get(r.id) as CertificateEntity)));
  }

  // ---- PDF downloads ---------------------------------------------------------------------------

  private pdfSignature(certificateId: string, expires: number): string {
    return createHmac('sha256', this.config.JWT_SECRET).update(`certificate-pdf:${certificateId}:${expires}`).digest('base64url');
  }

  /**
   * A signed, expiring download URL of the certificate (not of its stored file): whoever follows it
   * gets the PDF only while the certificate is still current.
   */
  pdfUrl(certificateId: string): string {
    const expires = Math.floor(Date.now() / 1000) + PDF_URL_TTL_SECONDS;
    return `/api/public/certificates/${certificateId}/pdf?expires=${expires}&sig=${this.pdfSignature(certificateId, expires)}`;
  }

  /**
   * The PDF behind a signed URL, after reading the certificate's status now (never from a cache): a
   * bad or expired signature answers 404; a revoked certificate 410 CERTIFICATE_REVOKED; one
   * replaced by a corrected re-issue 410 CERTIFICATE_SUPERSEDED (the holder has a new URL).
   */
  async openPdf(certificateId: string, expires: string | undefined, sig: string | undefined): Promise<CertificatePdf> {
    const exp = Number(expires);
    const expected = Number.isInteger(exp) ? this.pdfSignature(certificateId, exp) : '';
    const given = Buffer.from(String(sig ?? ''));
    const valid = expected !== '' && given.length === expected.length && timingSafeEqual(given, Buffer.from(expected)) && exp > Date.now() / 1000;
    if (!valid) throw DomainException.notFound(ErrorCode.FileNotFound);
    const c = await this.db.getRepository(CertificateEntity).findOneBy({ id: certificateId });
    if (!c) throw DomainException.notFound(ErrorCode.CertificateNotFound);
    if (c.status === CertificateStatus.Revoked) throw new DomainException(ErrorCode.CertificateRevoked, 410);
    if (c.status === CertificateStatus.Superseded) throw new DomainException(ErrorCode.CertificateSuperseded, 410);
    const file = c.fileId ? await this.files.findOwned(c.fileId, { kind: FileOwnerKind.Certificate, id: c.id }) : null;
    if (!file) throw DomainException.notFound(ErrorCode.FileNotFound);
    return { fileName: file.fileName, size: Number(file.size), stream: (await this.files.read(file)) as Readable };
  }

  // ---- revoke and correct ----------------------------------------------------------------------

  /** Loads a certificate the actor may manage; out of scope looks the same as not found. */
  private async manageable(actor: Actor, id: string, manager: EntityManager = this.db.manager): Promise<CertificateEntity & { ownerPath: string; ownerUnitId: string }> {
    const [row] = await manager.query(
      `SELECT u.path, ct.issuer_unit_id FROM certificates ct JOIN org_units u ON u.id = ct.issuer_unit_id WHERE ct.id = $1 FOR UPDATE OF ct`,
      [id],
    );
    if (!row || !actor.covers(row.path, COURSE_EDITOR_ROLES)) throw DomainException.notFound(ErrorCode.CertificateNotFound);
    const c = await manager.getRepository(CertificateEntity).findOneByOrFail({ id });
    return Object.assign(c, { ownerPath: row.path as string, ownerUnitId: row.issuer_unit_id as string });
  }

  private assertCurrent(c: CertificateEntity): void {
    if (c.status === CertificateStatus.Revoked) throw DomainException.conflict(ErrorCode.CertificateRevoked);
    if (c.status === CertificateStatus.Superseded) throw DomainException.conflict(ErrorCode.CertificateSuperseded);
  }

  async revoke(actor: Actor, id: string, reason: string): Promise<CertificateItem> {
    await this.db.transaction(async (manager) => {
      const c = await this.manageable(actor, id, manager);
      this.assertCurrent(c);
      await manager.query(`UPDATE certificates SET status = 'revoked', revoked_at = now(), revoked_reason = $2 WHERE id = $1`, [id, reason]);
      await this.audit.record(manager, actor, { action: 'certificate.revoked', entityType: 'certificate', entityId: id, before: { status: c.status }, after: { status: 'revoked', reason }, orgUnitIds: [c.ownerUnitId], personId: c.personId });
      return c.verificationCode;
    }).then((code) => this.changed(code));
    return this.item(await this.db.getRepository(CertificateEntity).findOneByOrFail({ id }));
  }

  /** A corrected re-issue: same serial, next version, new code; the old one becomes superseded. */
  async reissue(actor: Actor, id: string, reason: string, holderName?: string): Promise<CertificateItem> {
    const old = await this.db.transaction(async (manager) => {
      const c = await this.manageable(actor, id, manager);
      this.assertCurrent(c);
      await manager.query(`UPDATE certificates SET status = 'superseded' WHERE id = $1`, [id]);
      await this.audit.record(manager, actor, { action: 'certificate.superseded', entityType: 'certificate', entityId: id, after: { reason }, orgUnitIds: [c.ownerUnitId], personId: c.personId });
      return c;
    });
    await this.changed(old.verificationCode);
    const [person] = await this.db.query(`SELECT full_name FROM people WHERE id = $1`, [old.personId]);
    try {
      const newId = await this.issue(
        {
          personId: old.personId,
          courseId: old.courseId,
          classId: old.classId,
          completionId: old.completionId,
          trainingYear: old.trainingYear,
          issuedAt: new Date(),
          holderName: holderName?.trim() || person?.full_name || old.holderName,
          courseTitle: old.courseTitle,
          periods: old.periods,
          ownerUnitId: old.issuerUnitId,
          ownerUnitName: old.issuerName,
          ownerPath: old.ownerPath,
        },
        { actor, version: old.version + 1, serial: old.serial, replaces: old.id },
      );
      return this.item(await this.db.getRepository(CertificateEntity).findOneByOrFail({ id: newId }));
    } catch (e) {
      // Nothing half-done: the old certificate is current again.
      await this.db.query(`UPDATE certificates SET status = 'valid' WHERE id = $1 AND status = 'superseded' AND superseded_by IS NULL`, [old.id]);
      await this.changed(old.verificationCode);
      throw e;
    }
  }

  // ---- verifying -------------------------------------------------------------------------------

  /**
   * Fixed one-minute window per client IP, against code enumeration, shared by every api process
   * through Redis, mostly off the request path: an IP's first request in a window reads the shared
   * count; below half the limit, requests are counted locally and added to Redis in the background
   * every RATE_FLUSH_MS; from half the limit on, every request is counted in Redis first (exact).
   * With one api process the limit is exact; N processes may overshoot it by what they admitted
   * locally before seeing each other's counts (at most half the limit each, in practice a few).
   */
  async rateLimit(ip: string | null, count = 1): Promise<void> {
    const limit = this.config.VERIFY_RATE_LIMIT_PER_MINUTE;
    const now = Date.now();
    const key = `verify:${ip ?? 'unknown'}:${Math.floor(now / 60_000)}`;
    const refuse = (used: number) => new VerifyRateLimitedException(Math.max(1, Math.ceil((60_000 - (now % 60_000)) / 1000)), limit, Math.max(0, limit - used));
    let entry = this.rate.get(key);
    if (!entry) {
      const fresh = { pending: 0, known: 0, ready: null as Promise<void> | null };
      fresh.ready = this.redis.get(key).then(
        (v) => void (fresh.known = Number(v ?? 0)),
        () => undefined, // Redis away: count locally from zero
      );
      this.rate.set(key, (entry = fresh));
    }
    if (entry.ready) await entry.ready;
    if (count > limit) throw refuse(entry.known + entry.pending);
    if (entry.known + entry.pending + count - 1 < limit / 2) {
      entry.pending += count;
      this.rateFlush ??= setTimeout(() => void this.flushRate(), CertificatesService.RATE_FLUSH_MS).unref();
      return;
    }
    // Near the limit: count this request (and what is pending here) in Redis before answering.
    const add = entry.pending + count;
    entry.pending = 0;
    let total: number;
    let shared = true;
    try {
      const replies = await this.redis.multi().incrby(key, add).expire(key, 90, 'NX').exec();
      total = Number(replies?.[0]?.[1]);
      if (!Number.isFinite(total)) throw new Error('no count from Redis');
    } catch {
      shared = false;
      entry.pending += add; // keep counting locally while Redis is away
      total = entry.known + entry.pending;
    }
    entry.known = Math.max(entry.known, total - entry.pending);
    if (total > limit) {
      // Refused: its lookups are not made, so they are given back (a refused request costs nothing, and a
      // smaller bulk file still fits what is left of the window).
      if (shared) {
        entry.known = Math.max(0, entry.known - count);
        await this.redis.decrby(key, count).catch(() => undefined);
      } else {
        entry.pending -= count;
      }
      throw refuse(total - count);
    }
  }

  private static readonly RATE_FLUSH_MS = 250;
  /** Per window key: requests counted here and not yet in Redis, the last total Redis told us, and the first read of it. */
  private readonly rate = new Map<string, { pending: number; known: number; ready: Promise<void> | null }>();
  private rateFlush: NodeJS.Timeout | null = null;

  private async flushRate(): Promise<void> {
    const current = Math.floor(Date.now() / 60_000);
    const batch = [...this.rate.entries()].filter(([, e]) => e.pending > 0);
    try {
      if (batch.length) {
        const multi = this.redis.multi();
        for (const [key, e] of batch) multi.incrby(key, e.pending).expire(key, 90, 'NX');
        const sent = batch.map(([, e]) => e.pending);
        const replies = await multi.exec();
        batch.forEach(([, e], i) => {
          e.pending -= sent[i];
          const total = Number(replies?.[i * 2]?.[1]);
          if (Number.isFinite(total)) e.known = total;
        });
      }
    } catch (e) {
      // Redis away: keep counting locally (pending stays), so the limit still holds in this process.
      this.logger.warn(`verify rate counts not flushed: ${(e as Error).message}`);
    } finally {
      for (const key of this.rate.keys()) if (Number(key.slice(key.lastIndexOf(':') + 1)) < current) this.rate.delete(key);
      this.rateFlush = this.rate.size && [...this.rate.values()].some((e) => e.pending > 0) ? setTimeout(() => void this.flushRate(), CertificatesService.RATE_FLUSH_MS).unref() : null;
    }
  }

  private publicView(c: CertificateEntity): PublicVerification {
    const status = this.status(c);
    return {
      status,
      serial: c.serial,
      version: c.version,
      holderName: c.holderName,
      courseTitle: c.courseTitle,
      periods: c.periods,
      issuedAt: c.issuedAt.toISOString(),
      issuer: c.issuerName,
      ...(c.expiresAt ? { expiresAt: c.expiresAt.toISOString() } : {}),
      ...(status === CertificateStatus.Revoked ? { revokedAt: c.revokedAt?.toISOString(), revokedReason: c.revokedReason ?? undefined } : {}),
      signature: { keyId: c.keyId, algorithm: 'Ed25519', payload: c.signedPayload, value: c.signature },
    };
  }

  async verifyCode(raw: string): Promise<PublicVerification> {
    const code = normaliseVerificationCode(raw);
    if (!code) throw DomainException.badRequest(ErrorCode.VerificationCodeInvalid, [{ field: 'code', message: 'expected 12 letters and digits' }]);
    const c = await this.byCode(code);
    if (!c) throw DomainException.notFound(ErrorCode.CertificateNotFound);
    return this.publicView(c);
  }

  /** The certificate with this code, from the process cache when fresh (misses are cached too: same timing for unknown codes). */
  private async byCode(code: string): Promise<CertificateEntity | null> {
    const ttl = this.config.VERIFY_CACHE_SECONDS * 1000;
    const now = Date.now();
    const hit = ttl > 0 ? this.verified.get(code) : undefined;
    if (hit && now - hit.at < ttl) return hit.c;
    const c = await this.db.getRepository(CertificateEntity).findOneBy({ verificationCode: code });
    if (ttl > 0 && this.subscriber?.status === 'ready') {
      if (this.verified.size >= CertificatesService.VERIFIED_MAX) this.verified.delete(this.verified.keys().next().value as string);
      this.verified.set(code, { at: now, c });
    }
    return c;
  }

  /** A PDF is authentic when its exact bytes are those of an issued certificate. */
  async verifyPdf(file: { buffer: Buffer } | undefined): Promise<PdfVerification> {
    if (!file || file.buffer.length === 0) throw DomainException.badRequest(ErrorCode.ValidationFailed, [{ field: 'file', message: 'a PDF file is required (multipart field "file")' }]);
    if (file.buffer.subarray(0, 5).toString('latin1') !== '%PDF-') throw DomainException.badRequest(ErrorCode.FileTypeNotAllowed, [{ field: 'file', message: 'not a PDF file' }]);
    const sha256 = createHash('sha256').update(file.buffer).digest('hex');
    const c = await this.db.getRepository(CertificateEntity).findOneBy({ sha256 });
    return c ? { authentic: true, certificate: this.publicView(c) } : { authentic: false };
  }

  async publicKeys(): Promise<PublicKeyInfo[]> {
    const rows = await this.db.query(
      `SELECT k.id, k.issuer_unit_id, k.public_key_pem, k.created_at, u.name FROM signing_keys k JOIN org_units u ON u.id = k.issuer_unit_id ORDER BY k.created_at`,
    );
    return rows.map((r: Record<string, unknown>) => ({
      keyId: r['id'] as string,
      issuerUnitId: r['issuer_unit_id'] as string,
      issuer: r['name'] as string,
      algorithm: 'Ed25519' as const,
      publicKeyPem: r['public_key_pem'] as string,
      createdAt: (r['created_at'] as Date).toISOString(),
    }));
  }

  /** Most distinct lines one bulk check may hold: no more than one minute of the per-IP limit. */
  get bulkVerifyMaxLines(): number {
    return Math.min(BULK_VERIFY_MAX_LINES, this.config.VERIFY_RATE_LIMIT_PER_MINUTE);
  }

  /**
   * HR: a CSV (or plain list), one verification code or serial per line → the status of each, as
   * CSV rows. Codes (random, printed on the certificate and in its QR) find any certificate;
   * serials are sequential, so they find only certificates issued by a unit in the caller's scope
   * and resolve to the latest version. Anything else, out-of-scope serials included, answers
   * `not_found`, the same as an unknown code. Every distinct line counts against the caller's
   * per-IP limit of the public check.
   */
  async verifyBulk(actor: Actor, file: { buffer: Buffer } | undefined, ip: string | null = actor.ip): Promise<Array<[string, string, string, string, string, string]>> {
    if (!actor.hasRole(...HR_ROLES)) throw DomainException.forbidden();
    if (!file || file.buffer.length === 0) throw DomainException.badRequest(ErrorCode.ValidationFailed, [{ field: 'file', message: 'a CSV file is required (multipart field "file")' }]);
    if (file.buffer.includes(0)) throw DomainException.badRequest(ErrorCode.ImportInvalid, [{ field: 'file', message: 'binary file, expected CSV text' }]);
    const tokens = file.buffer
      .toString('utf8')
      .replace(/^\uFEFF/, '')
      .split(/\r?\n/)
      .map((line) => line.split(/[,;\t]/)[0].trim().replace(/^"|"$/g, '').trim())
      .filter((t) => t && !/^(mã|ma|code|verification|serial|số vào sổ|so vao so|số|so)(?=$|[\s:])/iu.test(t));
    const keys = [...new Set(tokens.map((t) => normaliseVerificationCode(t) ?? t.toUpperCase()))];
    const max = this.bulkVerifyMaxLines;
    if (keys.length > max) {
      throw DomainException.badRequest(ErrorCode.CertificateBulkTooManyLines, [
        { field: 'file', message: `at most ${max} codes per file, this one has ${keys.length}` },
        { field: 'max', message: String(max) },
        { field: 'lines', message: String(keys.length) },
      ]);
    }
    // Before any lookup: each distinct line costs one check of the public limit.
    if (keys.length) await this.rateLimit(ip, keys.length);
    const codes = tokens.map((t) => normaliseVerificationCode(t));
    const repo = this.db.getRepository(CertificateEntity);
    const wanted = [...new Set(codes.filter((c): c is string => !!c))];
    const byCode = new Map((wanted.length ? await repo.findBy({ verificationCode: In(wanted) }) : []).map((c) => [c.verificationCode, c]));
    const serials = [...new Set(tokens.filter((_, i) => !codes[i] || !byCode.has(codes[i] as string)).flatMap((t) => [t, t.toUpperCase()]))];
    const scopes = actor.scopePaths(HR_ROLES);
    const bySerial = new Map<string, CertificateEntity>();
    if (serials.length && scopes.length) {
      // Only certificates whose issuer unit is in scope; latest version last, so it wins.
      const ids: Array<{ id: string }> = await this.db.query(
        `SELECT ct.id FROM certificates ct JOIN org_units u ON u.id = ct.issuer_unit_id
          WHERE ct.serial = ANY($1::text[]) AND u.path LIKE ANY($2::text[])`,
        [serials, scopes.map((p) => `${p}%`)],
      );
      if (ids.length) {
        for (const c of await repo.find({ where: { id: In(ids.map((r) => r.id)) }, order: { version: 'ASC' } })) bySerial.set(c.serial.toUpperCase(), c);
      }
    }
    const rows = tokens.map((t, i): [string, string, string, string, string, string] => {
      const c = (codes[i] && byCode.get(codes[i] as string)) || bySerial.get(t.toUpperCase());
      if (!c) return [t, 'not_found', '', '', '', ''];
      return [t, this.status(c), `${c.serial}${c.version > 1 ? ` v${c.version}` : ''}`, c.holderName, c.courseTitle, c.issuedAt.toISOString().slice(0, 10)];
    });
    await this.audit.record(null, actor, { action: 'certificates.bulk_verified', entityType: 'certificate', after: { count: tokens.length, found: rows.filter((r) => r[1] !== 'not_found').length }, orgUnitIds: actor.grants.map((g) => g.orgUnitId) });
    return rows;
  }

  // ---- archive ---------------------------------------------------------------------------------

  /**
   * Organisers: every rendered, current certificate of a course or class in scope as one ZIP,
   * streamed (PDFs are read from storage one after another, never all in memory).
   */
  async archive(actor: Actor, filter: { courseId?: string; classId?: string }): Promise<{ fileName: string; count: number; stream: Readable }> {
    if (!filter.courseId && !filter.classId) throw DomainException.badRequest(ErrorCode.ValidationFailed, [{ field: 'courseId', message: 'courseId or classId is required' }]);
    const ids = await this.idsInScope(actor, filter, ARCHIVE_MAX_CERTIFICATES + 1);
    if (ids.length > ARCHIVE_MAX_CERTIFICATES) {
      throw DomainException.badRequest(ErrorCode.ValidationFailed, [{ field: 'courseId', message: `at most ${ARCHIVE_MAX_CERTIFICATES} certificates per archive; filter by year or class` }]);
    }
    const rows = ids.length ? await this.db.getRepository(CertificateEntity).findBy({ id: In(ids) }) : [];
    // Current certificates only: a revoked one's PDF is not handed out any more (as with its download URL).
    const rendered = rows.filter((c) => c.fileId && c.status !== CertificateStatus.Revoked).sort((a, b) => a.serial.localeCompare(b.serial) || a.version - b.version);
    const byFileId = new Map((await this.files.findMany(rendered.map((c) => c.fileId as string))).map((f) => [f.id, f]));
    const files = new Map(rendered.map((c) => [c.id, byFileId.get(c.fileId as string)]));
    const zip = new ZipFile();
    const used = new Set<string>();
    let count = 0;
    for (const c of rendered) {
      const file = files.get(c.id);
      if (!file) continue;
      let name = `${c.serial}${c.version > 1 ? `-v${c.version}` : ''} ${c.holderName}`.replace(/[\\/:*?"<>|]/g, '_');
      while (used.has(name)) name += '_';
      used.add(name);
      count++;
      // Opened only when the archive reaches this entry: one storage read at a time, with back-pressure.
      zip.addReadStreamLazy(`${name}.pdf`, { mtime: c.issuedAt, compress: false }, (cb) => {
        this.files.read(file).then((stream) => cb(null, stream), (e: Error) => cb(e, undefined as unknown as Readable));
      });
    }
    zip.end();
    return { fileName: `chung-nhan-${(filter.courseId ?? filter.classId ?? '').slice(0, 8)}.zip`, count, stream: zip.outputStream as unknown as Readable };
  }

  // ---- templates -------------------------------------------------------------------------------

  /**
   * The unit's ancestors (their ids are the segments of its path), in one indexed lookup: the root
   * (the province, whose code prefixes serials) and the nearest template at or above the unit.
   */
  private async ancestry(unitPath: string): Promise<{ root: { code: string; name: string }; template: (CertificateTemplateEntity & { unitName: string }) | null }> {
    const rows: Array<Record<string, unknown>> = await this.db.query(
      `SELECT u.code, u.name, t.issuer_unit_id, t.signer_title, t.signer_name, t.place, t.subtitle, t.validity_months, t.logo_file_id, t.updated_at
         FROM org_units u LEFT JOIN certificate_templates t ON t.issuer_unit_id = u.id
        WHERE u.id = ANY($1::uuid[]) ORDER BY u.depth`,
      [unitPath.split('/').filter(Boolean)],
    );
    const nearest = [...rows].reverse().find((r) => r['issuer_unit_id']);
    const template = nearest
      ? Object.assign(new CertificateTemplateEntity(), {
          issuerUnitId: nearest['issuer_unit_id'] as string,
          signerTitle: nearest['signer_title'] as string,
          signerName: nearest['signer_name'] as string,
          place: nearest['place'] as string | null,
          subtitle: nearest['subtitle'] as string | null,
          validityMonths: nearest['validity_months'] as number | null,
          logoFileId: nearest['logo_file_id'] as string | null,
          updatedAt: nearest['updated_at'] as Date,
          unitName: nearest['name'] as string,
        })
      : null;
    return { root: { code: rows[0]?.['code'] as string, name: rows[0]?.['name'] as string }, template };
  }

  private async unitInScope(actor: Actor, unitId: string): Promise<{ id: string; name: string; path: string }> {
    const [unit] = await this.db.query(`SELECT id, name, path FROM org_units WHERE id = $1`, [unitId]);
    if (!unit || !actor.covers(unit.path, COURSE_EDITOR_ROLES)) throw DomainException.notFound(ErrorCode.OrgUnitNotFound);
    return unit;
  }

  async template(actor: Actor, unitId: string): Promise<CertificateTemplate> {
    const unit = await this.unitInScope(actor, unitId);
    const t = (await this.ancestry(unit.path)).template;
    if (!t) {
      return { issuerUnitId: unit.id, issuerUnitName: unit.name, inherited: true, signerTitle: DEFAULT_SIGNER_TITLE, signerName: '', place: null, subtitle: null, validityMonths: null, logoFileId: null, updatedAt: null };
    }
    return {
      issuerUnitId: t.issuerUnitId,
      issuerUnitName: t.unitName,
      inherited: t.issuerUnitId !== unit.id,
      signerTitle: t.signerTitle,
      signerName: t.signerName,
      place: t.place,
      subtitle: t.subtitle,
      validityMonths: t.validityMonths,
      logoFileId: t.logoFileId,
      updatedAt: t.updatedAt ? new Date(t.updatedAt).toISOString() : null,
    };
  }

  /** Sets the unit's own template; certificates issued from now on use it (issued ones keep theirs). */
  async saveTemplate(actor: Actor, unitId: string, input: CertificateTemplateInput): Promise<CertificateTemplate> {
    const unit = await this.unitInScope(actor, unitId);
    if (input.logoFileId) {
      const file = await this.files.find(input.logoFileId);
      if (!file || !['image/png', 'image/jpeg'].includes(file.contentType)) {
        throw DomainException.badRequest(ErrorCode.CertificateTemplateInvalid, [{ field: 'logoFileId', message: 'must be an uploaded PNG or JPEG file' }]);
      }
    }
    await this.db.transaction(async (manager) => {
      // The logo becomes this unit's template's (a fresh upload of the caller), or already is; another's is refused.
      if (input.logoFileId) await this.files.access.attach(manager, actor, input.logoFileId, { kind: FileOwnerKind.CertificateTemplate, id: unit.id }, { field: 'logoFileId' });
      const repo = manager.getRepository(CertificateTemplateEntity);
      const before = await repo.findOneBy({ issuerUnitId: unit.id });
      const after = {
        issuerUnitId: unit.id,
        signerTitle: input.signerTitle,
        signerName: input.signerName,
        place: input.place ?? null,
        subtitle: input.subtitle ?? null,
        validityMonths: input.validityMonths ?? null,
        logoFileId: input.logoFileId ?? null,
      };
      await repo.save(after);
      await this.audit.record(manager, actor, { action: 'certificate_template.saved', entityType: 'org_unit', entityId: unit.id, before: before ? { ...before } : null, after });
    });
    return this.template(actor, unitId);
  }

  /** Removes the unit's own template: it inherits again. */
  async deleteTemplate(actor: Actor, unitId: string): Promise<CertificateTemplate> {
    const unit = await this.unitInScope(actor, unitId);
    await this.db.transaction(async (manager) => {
      const repo = manager.getRepository(CertificateTemplateEntity);
      const before = await repo.findOneBy({ issuerUnitId: unit.id });
      if (!before) return;
      await repo.delete({ issuerUnitId: unit.id });
      await this.audit.record(manager, actor, { action: 'certificate_template.deleted', entityType: 'org_unit', entityId: unit.id, before: { ...before } });
    });
    return this.template(actor, unitId);
  }
}

/** Same day of month, months later (clamped to the month's last day). */
export function addMonths(date: Date, months: number): Date {
  const d = new Date(date.getTime());
  const day = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() + months);
  const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(day, last));
  return d;
}

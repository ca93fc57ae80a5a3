import { createHash, KeyObject, randomUUID } from 'node:crypto';
import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Queue } from 'bullmq';
import type Redis from 'ioredis';
import { DataSource, EntityManager, In } from 'typeorm';
import { AuditService } from '@dxtrain/server/audit';
import { FilesService } from '@dxtrain/server/catalog';
import { Actor, AppConfig, DomainException, REDIS } from '@dxtrain/server/platform';
import {
  CertificateItem,
  CertificateStatus,
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
import { CertificateEntity, SigningKeyEntity } from './certificate.entity';
import { renderCertificatePdf } from './renderer';
import { canonicalPayload, decryptPrivateKey, encryptPrivateKey, newKeyPair, newVerificationCode, SignedFields, signPayload } from './signing';

/** Default signer block until issuer templates exist (see the closing note of issue 5). */
const DEFAULT_SIGNER_TITLE = 'THỦ TRƯỞNG ĐƠN VỊ';
export const BULK_VERIFY_MAX_ROWS = 5000;
const HR_ROLES: readonly Role[] = [Role.Admin, Role.Hr, Role.Organiser];

interface IssueSource {
  personId: string;
  courseId: string;
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
export class CertificatesService {
  private readonly logger = new Logger(CertificatesService.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly config: AppConfig,
    private readonly files: FilesService,
    private readonly audit: AuditService,
    @InjectQueue(QueueName.Certificates) private readonly queue: Queue,
    @Inject(REDIS) private readonly redis: Redis,
  ) {}

  verifyUrl(code: string): string {
    return `${this.config.PUBLIC_URL.replace(/\/$/, '')}/verify/${code}`;
  }

  // ---- issuing -------------------------------------------------------------------------------

  /** Consumer of `course.completed`: issues the certificate once, then queues its PDF. */
  async onCourseCompleted(event: CourseCompletedEvent): Promise<string | null> {
    const [row] = await this.db.query(
      `SELECT cc.person_id, cc.course_id, cc.training_year, cc.completed_at, p.full_name, v.title, v.periods,
              c.owner_unit_id, u.name AS owner_name, u.path AS owner_path
         FROM course_completions cc
         JOIN people p ON p.id = cc.person_id
         JOIN course_versions v ON v.id = cc.version_id
         JOIN courses c ON c.id = cc.course_id
         JOIN org_units u ON u.id = c.owner_unit_id
        WHERE cc.id = $1`,
      [event.completionId],
    );
    // A completion rolled back after its event was published: nothing to certify.
    if (!row) return null;
    return this.issue({
      personId: row.person_id,
      courseId: row.course_id,
      completionId: event.completionId,
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

  /** Issues (or returns the existing) certificate; the database refuses a second one per person, course and year. */
  async issue(src: IssueSource, opts: { actor?: Actor; version?: number; serial?: string; replaces?: string } = {}): Promise<string> {
    const rootId = src.ownerPath.split('/').filter(Boolean)[0] ?? src.ownerUnitId;
    const [root] = await this.db.query(`SELECT code, name FROM org_units WHERE id = $1`, [rootId]);
    const result = await this.db.transaction(async (manager) => {
      await manager.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`certificate:${src.personId}:${src.courseId}:${src.trainingYear}`]);
      if (!opts.replaces) {
        const [existing] = await manager.query(
          `SELECT id FROM certificates WHERE person_id = $1 AND course_id = $2 AND training_year = $3 AND status <> 'superseded'`,
          [src.personId, src.courseId, src.trainingYear],
        );
        if (existing) return { id: existing.id as string, created: false };
      }
      const key = await this.activeKey(manager, rootId);
      const id = randomUUID();
      await this.audit.record(manager, opts.actor ?? null, {
        action: opts.replaces ? 'certificate.reissued' : 'certificate.issued',
        entityType: 'certificate',
        entityId: id,
        after: { personId: src.personId, courseId: src.courseId, trainingYear: src.trainingYear, replaces: opts.replaces ?? null },
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
        expiresAt: null,
      };
      const payload = canonicalPayload(fields);
      const entity = manager.getRepository(CertificateEntity).create({
        id,
        serial,
        version: fields.version,
        verificationCode: fields.verificationCode,
        personId: src.personId,
        courseId: src.courseId,
        completionId: src.completionId,
        trainingYear: src.trainingYear,
        holderName: fields.holderName,
        courseTitle: fields.courseTitle,
        periods: src.periods,
        issuerUnitId: src.ownerUnitId,
        issuerName: src.ownerUnitName,
        place: String(root.name).replace(/^(Tỉnh|Thành phố)\s+/u, ''),
        signerTitle: DEFAULT_SIGNER_TITLE,
        signerName: '',
        issuedAt: src.issuedAt,
        expiresAt: null,
        status: CertificateStatus.Valid,
        keyId: key.id,
        signedPayload: payload,
        signature: signPayload(payload, this.privateKey(key)),
      });
      await manager.getRepository(CertificateEntity).insert(entity);
      if (opts.replaces) {
        await manager.query(`UPDATE certificates SET superseded_by = $2 WHERE id = $1`, [opts.replaces, id]);
      }
      return { id, created: true };
    });
    if (result.created) await this.queueRender(result.id);
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
    const pdf = await renderCertificatePdf({ ...c, verifyUrl: this.verifyUrl(c.verificationCode) });
    const sha256 = createHash('sha256').update(pdf).digest('hex');
    const file = await this.files.storeBuffer(pdf, `chung-nhan-${c.serial}${c.version > 1 ? `-v${c.version}` : ''}.pdf`, 'application/pdf', null);
    await this.db.query(`UPDATE certificates SET file_id = $2, sha256 = $3, rendered_at = now() WHERE id = $1 AND file_id IS NULL`, [certificateId, file.id, sha256]);
    return { sha256 };
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
    const pdf = c.fileId ? await this.files.signedInfo(c.fileId) : null;
    return {
      id: c.id,
      serial: c.serial,
      version: c.version,
      verificationCode: c.verificationCode,
      status: this.status(c),
      personId: c.personId,
      holderName: c.holderName,
      courseId: c.courseId,
      courseTitle: c.courseTitle,
      periods: c.periods,
      trainingYear: c.trainingYear,
      issuedAt: c.issuedAt.toISOString(),
      expiresAt: c.expiresAt?.toISOString() ?? null,
      issuer: c.issuerName,
      revokedAt: c.revokedAt?.toISOString() ?? null,
      revokedReason: c.revokedReason,
      pdfUrl: pdf?.fileUrl ?? null,
      verifyUrl: this.verifyUrl(c.verificationCode),
    };
  }

  async mine(actor: Actor): Promise<CertificateItem[]> {
    if (!actor.personId) return [];
    const rows = await this.db.getRepository(CertificateEntity).find({ where: { personId: actor.personId }, order: { issuedAt: 'DESC', version: 'DESC' } });
    return Promise.all(rows.filter((c) => c.status !== CertificateStatus.Superseded).map((c) => this.item(c)));
  }

  /** Organisers: certificates of the courses they manage (optionally one course). */
  async list(actor: Actor, courseId?: string): Promise<CertificateItem[]> {
    const scopes = actor.scopePaths(COURSE_EDITOR_ROLES);
    if (scopes.length === 0) throw DomainException.forbidden();
    const params: unknown[] = [scopes.map((s) => `${s}%`)];
    let where = `u.path LIKE ANY($1::text[]) AND ct.status <> 'superseded'`;
    if (courseId) {
      params.push(courseId);
      where += ` AND ct.course_id = $2`;
    }
    const ids: Array<{ id: string }> = await this.db.query(
      `SELECT ct.id FROM certificates ct JOIN courses c ON c.id = ct.course_id JOIN org_units u ON u.id = c.owner_unit_id
        WHERE ${where} ORDER BY ct.issued_at DESC LIMIT 2000`,
      params,
    );
    if (!ids.length) return [];
    const rows = await this.db.getRepository(CertificateEntity).findBy({ id: In(ids.map((r) => r.id)) });
    const byId = new Map(rows.map((r) => [r.id, r]));
    return Promise.all(ids.map((r) => this.item(byId.get(r.id) as CertificateEntity)));
  }

  // ---- revoke and correct ----------------------------------------------------------------------

  /** Loads a certificate the actor may manage; out of scope looks the same as not found. */
  private async manageable(actor: Actor, id: string, manager: EntityManager = this.db.manager): Promise<CertificateEntity & { ownerPath: string; ownerUnitId: string }> {
    const [row] = await manager.query(
      `SELECT u.path, c.owner_unit_id FROM certificates ct JOIN courses c ON c.id = ct.course_id JOIN org_units u ON u.id = c.owner_unit_id WHERE ct.id = $1 FOR UPDATE OF ct`,
      [id],
    );
    if (!row || !actor.covers(row.path, COURSE_EDITOR_ROLES)) throw DomainException.notFound(ErrorCode.CertificateNotFound);
    const c = await manager.getRepository(CertificateEntity).findOneByOrFail({ id });
    return Object.assign(c, { ownerPath: row.path as string, ownerUnitId: row.owner_unit_id as string });
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
      await this.audit.record(manager, actor, { action: 'certificate.revoked', entityType: 'certificate', entityId: id, before: { status: c.status }, after: { status: 'revoked', reason } });
    });
    return this.item(await this.db.getRepository(CertificateEntity).findOneByOrFail({ id }));
  }

  /** A corrected re-issue: same serial, next version, new code; the old one becomes superseded. */
  async reissue(actor: Actor, id: string, reason: string, holderName?: string): Promise<CertificateItem> {
    const old = await this.db.transaction(async (manager) => {
      const c = await this.manageable(actor, id, manager);
      this.assertCurrent(c);
      await manager.query(`UPDATE certificates SET status = 'superseded' WHERE id = $1`, [id]);
      await this.audit.record(manager, actor, { action: 'certificate.superseded', entityType: 'certificate', entityId: id, after: { reason } });
      return c;
    });
    const [person] = await this.db.query(`SELECT full_name FROM people WHERE id = $1`, [old.personId]);
    try {
      const newId = await this.issue(
        {
          personId: old.personId,
          courseId: old.courseId,
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
      throw e;
    }
  }

  // ---- verifying -------------------------------------------------------------------------------

  /** Fixed-window limit per client IP (Redis), against code enumeration. */
  async rateLimit(ip: string | null): Promise<void> {
    const key = `verify:${ip ?? 'unknown'}:${Math.floor(Date.now() / 60_000)}`;
    const n = await this.redis.incr(key);
    if (n === 1) await this.redis.expire(key, 90);
    if (n > this.config.VERIFY_RATE_LIMIT_PER_MINUTE) throw new DomainException(ErrorCode.TooManyRequests, 429);
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
    const c = await this.db.getRepository(CertificateEntity).findOneBy({ verificationCode: code });
    if (!c) throw DomainException.notFound(ErrorCode.CertificateNotFound);
    return this.publicView(c);
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

  /**
   * HR: a CSV (or plain list) of codes or serials, one per line → the status of each, as CSV rows.
   * Serials resolve to their latest version.
   */
  async verifyBulk(actor: Actor, file: { buffer: Buffer } | undefined): Promise<Array<[string, string, string, string, string, string]>> {
    if (!actor.hasRole(...HR_ROLES)) throw DomainException.forbidden();
    if (!file || file.buffer.length === 0) throw DomainException.badRequest(ErrorCode.ValidationFailed, [{ field: 'file', message: 'a CSV file is required (multipart field "file")' }]);
    if (file.buffer.includes(0)) throw DomainException.badRequest(ErrorCode.ImportInvalid, [{ field: 'file', message: 'binary file, expected CSV text' }]);
    const tokens = file.buffer
      .toString('utf8')
      .replace(/^\uFEFF/, '')
      .split(/\r?\n/)
      .map((line) => line.split(/[,;\t]/)[0].trim().replace(/^"|"$/g, ''))
      .filter((t) => t && !/^(mã|ma|code|serial|số vào sổ|so vao so|số|so)(?=$|[\s:])/iu.test(t));
    if (tokens.length > BULK_VERIFY_MAX_ROWS) throw DomainException.badRequest(ErrorCode.ImportInvalid, [{ field: 'file', message: `at most ${BULK_VERIFY_MAX_ROWS} codes per file` }]);
    const codes = tokens.map((t) => normaliseVerificationCode(t));
    const repo = this.db.getRepository(CertificateEntity);
    const byCode = new Map((await repo.find({ where: codes.filter((c): c is string => !!c).map((verificationCode) => ({ verificationCode })) })).map((c) => [c.verificationCode, c]));
    const serials = [...new Set(tokens.filter((_, i) => !codes[i] || !byCode.has(codes[i] as string)).flatMap((t) => [t, t.toUpperCase()]))];
    const bySerial = new Map<string, CertificateEntity>();
    if (serials.length) {
      // Latest version last, so it wins.
      for (const c of await repo.find({ where: serials.map((serial) => ({ serial })), order: { version: 'ASC' } })) bySerial.set(c.serial.toUpperCase(), c);
    }
    await this.audit.record(null, actor, { action: 'certificates.bulk_verified', entityType: 'certificate', after: { count: tokens.length } });
    return tokens.map((t, i) => {
      const c = (codes[i] && byCode.get(codes[i] as string)) || bySerial.get(t.toUpperCase());
      if (!c) return [t, 'not_found', '', '', '', ''];
      return [t, this.status(c), `${c.serial}${c.version > 1 ? ` v${c.version}` : ''}`, c.holderName, c.courseTitle, c.issuedAt.toISOString().slice(0, 10)];
    });
  }
}

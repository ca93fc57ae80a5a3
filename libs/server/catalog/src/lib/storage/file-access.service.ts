import { createHmac, timingSafeEqual } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { ErrorCode } from '@dxtrain/shared/contracts';
import { Actor, AppConfig, DomainException, HttpCookieOptions } from '@dxtrain/server/platform';
import { FileOwner, FileOwnerKind, FileOwnerPolicy } from './file-owner';
import { StoredFileEntity } from './stored-file.entity';

/** How long a signed file URL and the viewer cookie that goes with it stay valid: a long video, paused and resumed. */
export const FILE_URL_TTL_SECONDS = 8 * 3600;
/** The httpOnly cookie naming the viewer of signed file URLs (set with the lesson that carries the URL). */
export const VIEWER_COOKIE = 'dxtrain_viewer';
const VIEWER_COOKIE_PATH = '/api/files';

export interface SignedFileQuery {
  owner?: string;
  viewer?: string;
  expires?: string;
  sig?: string;
}

export interface SignedFileInfo {
  fileUrl: string | null;
  fileName: string | null;
  contentType: string | null;
}

const NO_FILE: SignedFileInfo = { fileUrl: null, fileName: null, contentType: null };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The one place that decides whether a stored file may be referenced or served.
 *
 * - Referencing (`attach`): a file may be used by an owner (a course's lesson, a template's logo…) when it already
 *   belongs to that owner, or when it is a fresh upload (no owner yet) of the same user, who must be allowed to
 *   attach files to the owner (the owner kind's policy says); the upload then becomes the owner's. A file of another
 *   owner the actor edits answers FILE_NOT_ATTACHABLE; anything else (unknown, another province's) FILE_NOT_FOUND.
 *   Unplaced legacy files can be attached by deployment-wide admins only.
 * - Serving (`open`): the URL is signed over the file, its owner, the viewer's user id and the expiry; the file must
 *   still belong to that owner, the request must carry the viewer cookie of the same user, and the owner kind's
 *   policy must still allow serving. Anything else answers 404.
 *
 * Domains register their owner kinds (`register`) when their module starts; an unregistered kind is refused.
 */
@Injectable()
export class FileAccessService {
  private readonly logger = new Logger(FileAccessService.name);
  private readonly policies = new Map<FileOwnerKind, FileOwnerPolicy>();

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly config: AppConfig,
  ) {}

  register(policy: FileOwnerPolicy): void {
    if (this.policies.has(policy.kind) && this.policies.get(policy.kind) !== policy) this.logger.warn(`file owner kind ${policy.kind} registered twice`);
    this.policies.set(policy.kind, policy);
  }

  private policy(kind: FileOwnerKind): FileOwnerPolicy {
    const p = this.policies.get(kind);
    if (!p) throw new Error(`no file owner policy registered for ${kind}`);
    return p;
  }

  /**
   * Checks that `fileId` may be referenced by `owner` (see the class comment) and claims a fresh upload for it, in the
   * caller's transaction (row-locked, so two owners cannot claim one upload at once). `types`: accepted content-type
   * prefixes, checked only once the file is known to be the caller's to use.
   */
  async attach(manager: EntityManager, actor: Actor, fileId: string, owner: FileOwner, opts: { field: string; types?: string[] }): Promise<StoredFileEntity> {
    const { field } = opts;
    const unknown = () => new DomainException(ErrorCode.FileNotFound, 400, [{ field, message: 'unknown file' }]);
    if (!(await this.policy(owner.kind).mayAttach(actor, owner.id, manager))) throw DomainException.forbidden();
    const file = await manager.getRepository(StoredFileEntity).createQueryBuilder('f').setLock('pessimistic_write').where('f.id = :id', { id: fileId }).getOne();
    if (!file) throw unknown();
    const same = file.ownerKind === owner.kind && file.ownerId === owner.id;
    const freshUpload = file.ownerKind === null && file.uploadedBy === actor.userId;
    const rescued = file.ownerKind === FileOwnerKind.Unplaced && actor.isSuperadmin;
    if (!same && !freshUpload && !rescued) {
      const current = file.ownerKind && file.ownerId ? this.policies.get(file.ownerKind) : undefined;
      if (current && file.ownerId && (await current.mayAttach(actor, file.ownerId, manager))) {
        throw new DomainException(ErrorCode.FileNotAttachable, 400, [{ field, message: `the file belongs to another ${file.ownerKind}: upload it again here` }]);
      }
      throw unknown();
    }
    if (opts.types && !opts.types.some((t) => file.contentType.startsWith(t))) {
      throw new DomainException(ErrorCode.FileTypeNotAllowed, 400, [{ field, message: `expected ${opts.types.join(' or ')}, got ${file.contentType}` }]);
    }
    if (!same) {
      await manager.getRepository(StoredFileEntity).update({ id: file.id }, { ownerKind: owner.kind, ownerId: owner.id });
      Object.assign(file, { ownerKind: owner.kind, ownerId: owner.id });
    }
    return file;
  }

  private key(): string {
    return this.config.JWT_SECRET;
  }

  private sign(fileId: string, owner: FileOwner, viewer: string, expires: number): string {
    return createHmac('sha256', this.key()).update(`file:v2:${fileId}:${owner.kind}:${owner.id}:${viewer}:${expires}`).digest('base64url');
  }

  private signViewer(userId: string, expires: number): string {
    return createHmac('sha256', this.key()).update(`file-viewer:${userId}:${expires}`).digest('base64url');
  }

  /**
   * A URL for `viewerUserId` to load the file as `owner`'s (the caller has checked the viewer may see the owner).
   * Nothing when the file is not that owner's: a lesson cannot hand out someone else's file.
   */
  async signedInfo(fileId: string, owner: FileOwner, viewerUserId: string): Promise<SignedFileInfo> {
    const file = await this.db.getRepository(StoredFileEntity).findOneBy({ id: fileId });
    if (!file || file.ownerKind !== owner.kind || file.ownerId !== owner.id) return NO_FILE;
    const expires = Math.floor(Date.now() / 1000) + FILE_URL_TTL_SECONDS;
    const q = new URLSearchParams({ owner: `${owner.kind}:${owner.id}`, viewer: viewerUserId, expires: String(expires), sig: this.sign(fileId, owner, viewerUserId, expires) });
    return { fileUrl: `/api/files/${fileId}/content?${q.toString()}`, fileName: file.fileName, contentType: file.contentType };
  }

  /** The viewer cookie for `userId` (httpOnly, sent only to /api/files): binds signed URLs to the browser they were given to. */
  viewerCookie(userId: string, secure: boolean): { name: string; value: string; options: HttpCookieOptions } {
    const expires = Math.floor(Date.now() / 1000) + FILE_URL_TTL_SECONDS;
    return {
      name: VIEWER_COOKIE,
      value: `${userId}.${expires}.${this.signViewer(userId, expires)}`,
      options: { httpOnly: true, secure, sameSite: 'strict', path: VIEWER_COOKIE_PATH, maxAge: FILE_URL_TTL_SECONDS, expires: new Date(Date.now() + FILE_URL_TTL_SECONDS * 1000) },
    };
  }

  /** The user a viewer cookie names, or null when it is missing, forged or expired. */
  private viewerOf(cookie: string | undefined): string | null {
    const [userId, exp, sig] = String(cookie ?? '').split('.');
    const expires = Number(exp);
    if (!userId || !UUID.test(userId) || !Number.isInteger(expires) || expires <= Date.now() / 1000 || !sig) return null;
    return safeEqual(sig, this.signViewer(userId, expires)) ? userId : null;
  }

  /** Checks a signed URL and the viewer cookie; 404 for anything wrong (nothing to learn from the answer). */
  async open(fileId: string, query: SignedFileQuery, viewerCookie: string | undefined): Promise<StoredFileEntity & { sizeBytes: number }> {
    const notFound = () => DomainException.notFound(ErrorCode.FileNotFound);
    const expires = Number(query.expires);
    const [kind, ownerId] = String(query.owner ?? '').split(':');
    const viewer = String(query.viewer ?? '');
    if (!Number.isInteger(expires) || expires <= Date.now() / 1000 || !kind || !ownerId || !UUID.test(viewer)) throw notFound();
    const owner: FileOwner = { kind: kind as FileOwnerKind, id: ownerId };
    if (!safeEqual(String(query.sig ?? ''), this.sign(fileId, owner, viewer, expires))) throw notFound();
    if (this.viewerOf(viewerCookie) !== viewer) throw notFound();
    const file = await this.db.getRepository(StoredFileEntity).findOneBy({ id: fileId });
    if (!file || file.ownerKind !== owner.kind || file.ownerId !== owner.id) throw notFound();
    const policy = this.policies.get(owner.kind);
    if (!policy || (policy.mayServe && !(await policy.mayServe(owner.id, viewer)))) throw notFound();
    return { ...file, sizeBytes: Number(file.size) };
  }
}

function safeEqual(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

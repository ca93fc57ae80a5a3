import { EntityManager } from 'typeorm';
import { Actor } from '@dxtrain/server/platform';

/**
 * What a stored file belongs to. Every file has one owner (or none yet: a fresh upload, claimed by its uploader's
 * first use); the owner's domain decides who may attach files to it and whether its files may still be served.
 * Later features (forum posts, essay answers, SCORM packages, library documents) add their kind here and register a
 * {@link FileOwnerPolicy} with `FileAccessService`.
 */
export enum FileOwnerKind {
  Course = 'course',
  Certificate = 'certificate',
  /** An issuer unit's certificate template (its logo); owner id = the issuer unit. */
  CertificateTemplate = 'certificate_template',
  Import = 'import',
  Post = 'post',
  EssayAnswer = 'essay_answer',
  Package = 'package',
  LibraryDocument = 'library_document',
  /** A file present before owners existed that could not be placed: reachable by deployment-wide admins only. */
  Unplaced = 'unplaced',
}

export interface FileOwner {
  kind: FileOwnerKind;
  id: string;
}

/** One owner kind's rules, registered by the domain that holds the owners. */
export interface FileOwnerPolicy {
  readonly kind: FileOwnerKind;
  /** May the actor attach files to this owner (i.e. edit it)? Runs in the caller's transaction. */
  mayAttach(actor: Actor, ownerId: string, manager: EntityManager): Promise<boolean>;
  /** May a URL signed earlier still serve this owner's file (e.g. the certificate is not revoked)? Default: yes. */
  mayServe?(ownerId: string, viewerUserId: string): Promise<boolean>;
}

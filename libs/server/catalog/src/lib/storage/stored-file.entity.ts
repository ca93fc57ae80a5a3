import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { FileOwnerKind } from './file-owner';

/**
 * A stored file: metadata here, bytes in the FileStorage backend under `storageKey`. Every file has an owner
 * (`ownerKind` + `ownerId`: a course, a certificate, a template…), or none yet while it is a fresh upload waiting for
 * its uploader's first use; `unplaced` (no id) marks old files no owner could be found for. Access goes through
 * `FileAccessService`.
 */
@Entity('stored_files')
@Index('IDX_stored_files_owner', ['ownerKind', 'ownerId'])
@Check('CHK_stored_files_owner', `(owner_id IS NULL) = (owner_kind IS NULL OR owner_kind = 'unplaced')`)
export class StoredFileEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'storage_key', type: 'varchar', length: 255 })
  storageKey!: string;

  @Column({ name: 'file_name', type: 'varchar', length: 255 })
  fileName!: string;

  @Column({ name: 'content_type', type: 'varchar', length: 100 })
  contentType!: string;

  @Column({ type: 'bigint' })
  size!: string;

  @Column({ type: 'char', length: 64 })
  sha256!: string;

  @Column({ name: 'uploaded_by', type: 'uuid', nullable: true })
  uploadedBy!: string | null;

  @Column({ name: 'owner_kind', type: 'varchar', length: 30, nullable: true })
  ownerKind!: FileOwnerKind | null;

  @Column({ name: 'owner_id', type: 'uuid', nullable: true })
  ownerId!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

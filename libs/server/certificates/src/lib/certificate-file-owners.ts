import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { CertificateStatus, COURSE_EDITOR_ROLES } from '@dxtrain/shared/contracts';
import { FileAccessService, FileOwnerKind, FileOwnerPolicy } from '@dxtrain/server/catalog';
import { Actor } from '@dxtrain/server/platform';

/**
 * The certificates domain's file owners, registered with the catalog's FileAccessService:
 * - a certificate's PDF: written by the renderer only (nobody attaches one), served only while the certificate is current;
 * - an issuer unit's template logo: attached by the editors of that unit (a grant covering it).
 */
@Injectable()
export class CertificateFileOwners implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly access: FileAccessService,
  ) {}

  readonly certificate: FileOwnerPolicy = {
    kind: FileOwnerKind.Certificate,
    mayAttach: async () => false,
    mayServe: async (certificateId: string) => {
      const [row] = (await this.db.query(`SELECT status FROM certificates WHERE id = $1`, [certificateId])) as Array<{ status: CertificateStatus }>;
      return !!row && row.status !== CertificateStatus.Revoked && row.status !== CertificateStatus.Superseded;
    },
  };

  readonly template: FileOwnerPolicy = {
    kind: FileOwnerKind.CertificateTemplate,
    mayAttach: async (actor: Actor, unitId: string, manager: EntityManager) => {
      const [row] = (await manager.query(`SELECT path FROM org_units WHERE id = $1`, [unitId])) as Array<{ path: string }>;
      return !!row && actor.covers(row.path, COURSE_EDITOR_ROLES);
    },
  };

  onModuleInit(): void {
    this.access.register(this.certificate);
    this.access.register(this.template);
  }
}

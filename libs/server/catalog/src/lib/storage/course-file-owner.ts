import { Injectable, OnModuleInit } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Actor } from '@dxtrain/server/platform';
import { COURSE_EDITOR_ROLES } from '../course-access';
import { FileAccessService } from './file-access.service';
import { FileOwnerKind, FileOwnerPolicy } from './file-owner';

/** Lesson files belong to their course: its editors (a grant covering the owner unit) attach them. */
@Injectable()
export class CourseFileOwner implements FileOwnerPolicy, OnModuleInit {
  readonly kind = FileOwnerKind.Course;

  constructor(private readonly access: FileAccessService) {}

  onModuleInit(): void {
    this.access.register(this);
  }

  async mayAttach(actor: Actor, courseId: string, manager: EntityManager): Promise<boolean> {
    const [row] = (await manager.query(`SELECT u.path FROM courses c JOIN org_units u ON u.id = c.owner_unit_id WHERE c.id = $1`, [courseId])) as Array<{ path: string }>;
    return !!row && actor.covers(row.path, COURSE_EDITOR_ROLES);
  }
}

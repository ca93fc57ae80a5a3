import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '@dxtrain/server/audit';
import { QueueModule } from '@dxtrain/server/platform';
import { CoursesController, FilesController, LessonsController, MyLearningController } from './catalog.controller';
import { CatalogService } from './catalog.service';
import { CourseEntity, CourseSectionEntity, CourseVersionEntity, LessonEntity } from './course.entity';
import { ProgressService } from './progress.service';
import { CourseCompletionEntity, CourseProgressEntity, LessonProgressEntity } from './progress.entity';
import { CourseFileOwner } from './storage/course-file-owner';
import { FileAccessService } from './storage/file-access.service';
import { FilesService } from './storage/files.service';
import { StoredFileEntity } from './storage/stored-file.entity';
import { CoursesReorganisationParticipant } from './reorganisation.participant';

export const CATALOG_ENTITIES = [
  CourseEntity,
  CourseVersionEntity,
  CourseSectionEntity,
  LessonEntity,
  CourseProgressEntity,
  LessonProgressEntity,
  CourseCompletionEntity,
  StoredFileEntity,
];

/** Courses, versions and content, lesson files, learner progress and completion. */
@Module({
  imports: [
    TypeOrmModule.forFeature(CATALOG_ENTITIES),
    AuditModule,
    QueueModule,
  ],
  controllers: [CoursesController, LessonsController, MyLearningController, FilesController],
  providers: [CatalogService, ProgressService, FilesService, FileAccessService, CourseFileOwner, CoursesReorganisationParticipant],
  exports: [CatalogService, ProgressService, FilesService, FileAccessService],
})
export class CatalogModule {}

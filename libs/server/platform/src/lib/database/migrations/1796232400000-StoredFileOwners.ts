import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every stored file gets an owner (`owner_kind`, `owner_id`: course, certificate, certificate_template, later import,
 * post, essay answer, package, library document), checked by the catalog's FileAccessService whenever a file is
 * referenced or served. NULL/NULL = a fresh upload, claimed by its uploader's first use. Existing files are placed:
 *
 * 1. certificate PDFs: the certificate whose `file_id` names them;
 * 2. template logos: the (first saved) template naming them; other templates of the same province naming the same
 *    file get their own copy of the row (same bytes, same storage key) so they keep their logo;
 * 3. lesson files: the course whose lessons name them, preferring a course the uploader could edit (a grant of
 *    admin/organiser covering its owner unit), then the earliest version; other courses of the same province naming
 *    the file get their own copy of the row and their lessons are pointed at it (same bytes). A lesson of another
 *    province naming the file (the leak this closes) keeps the id but no longer gets a URL;
 * 4. anything left: `unplaced` (no owner id): neither attachable nor served, except attached again by a superadmin.
 */
export class StoredFileOwners1796232400000 implements MigrationInterface {
  name = 'StoredFileOwners1796232400000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "stored_files" ADD "owner_kind" character varying(30)`);
    await queryRunner.query(`ALTER TABLE "stored_files" ADD "owner_id" uuid`);

    // 1. Certificate PDFs.
    await queryRunner.query(`
      UPDATE stored_files f SET owner_kind = 'certificate', owner_id = c.id
        FROM certificates c WHERE c.file_id = f.id`);

    // 2. Template logos.
    await queryRunner.query(`
      UPDATE stored_files f SET owner_kind = 'certificate_template', owner_id = t.issuer_unit_id
        FROM (SELECT DISTINCT ON (logo_file_id) logo_file_id, issuer_unit_id FROM certificate_templates
               WHERE logo_file_id IS NOT NULL ORDER BY logo_file_id, updated_at, issuer_unit_id) t
       WHERE f.id = t.logo_file_id AND f.owner_kind IS NULL`);
    await queryRunner.query(`
      CREATE TEMP TABLE logo_file_copies AS
      SELECT t.logo_file_id AS old_id, gen_random_uuid() AS new_id, t.issuer_unit_id
        FROM certificate_templates t
        JOIN stored_files f ON f.id = t.logo_file_id AND f.owner_kind = 'certificate_template' AND f.owner_id <> t.issuer_unit_id
        JOIN org_units tu ON tu.id = t.issuer_unit_id
        JOIN org_units ou ON ou.id = f.owner_id
       WHERE tu.root_id = ou.root_id`);
    await queryRunner.query(`
      INSERT INTO stored_files (id, storage_key, file_name, content_type, size, sha256, uploaded_by, created_at, owner_kind, owner_id)
      SELECT c.new_id, f.storage_key, f.file_name, f.content_type, f.size, f.sha256, f.uploaded_by, f.created_at, 'certificate_template', c.issuer_unit_id
        FROM logo_file_copies c JOIN stored_files f ON f.id = c.old_id`);
    await queryRunner.query(`
      UPDATE certificate_templates t SET logo_file_id = c.new_id FROM logo_file_copies c WHERE c.issuer_unit_id = t.issuer_unit_id`);

    // 3. Lesson files (video and document lessons name them in content.fileId).
    await queryRunner.query(`
      CREATE TEMP TABLE lesson_file_refs AS
      SELECT f.id AS file_id, v.course_id, u.root_id, MIN(v.created_at) AS first_at,
             EXISTS (SELECT 1 FROM role_grants g LEFT JOIN org_units gu ON gu.id = g.org_unit_id
                      WHERE g.user_id = f.uploaded_by
                        AND (g.role = 'superadmin' OR (g.role IN ('admin', 'organiser') AND left(u.path, length(gu.path)) = gu.path))) AS by_uploader
        FROM lessons l
        JOIN course_versions v ON v.id = l.version_id
        JOIN courses c ON c.id = v.course_id
        JOIN org_units u ON u.id = c.owner_unit_id
        JOIN stored_files f ON f.id::text = l.content->>'fileId'
       GROUP BY f.id, f.uploaded_by, v.course_id, u.root_id, u.path`);
    await queryRunner.query(`
      UPDATE stored_files f SET owner_kind = 'course', owner_id = p.course_id
        FROM (SELECT DISTINCT ON (file_id) file_id, course_id FROM lesson_file_refs
               ORDER BY file_id, by_uploader DESC, first_at, course_id) p
       WHERE f.id = p.file_id AND f.owner_kind IS NULL`);
    await queryRunner.query(`
      CREATE TEMP TABLE lesson_file_copies AS
      SELECT r.file_id AS old_id, gen_random_uuid() AS new_id, r.course_id
        FROM lesson_file_refs r
        JOIN stored_files f ON f.id = r.file_id AND f.owner_kind = 'course' AND f.owner_id <> r.course_id
        JOIN courses oc ON oc.id = f.owner_id
        JOIN org_units ou ON ou.id = oc.owner_unit_id
       WHERE ou.root_id = r.root_id`);
    await queryRunner.query(`
      INSERT INTO stored_files (id, storage_key, file_name, content_type, size, sha256, uploaded_by, created_at, owner_kind, owner_id)
      SELECT c.new_id, f.storage_key, f.file_name, f.content_type, f.size, f.sha256, f.uploaded_by, f.created_at, 'course', c.course_id
        FROM lesson_file_copies c JOIN stored_files f ON f.id = c.old_id`);
    await queryRunner.query(`
      UPDATE lessons l SET content = jsonb_set(l.content, '{fileId}', to_jsonb(c.new_id::text))
        FROM lesson_file_copies c, course_versions v
       WHERE v.id = l.version_id AND v.course_id = c.course_id AND l.content->>'fileId' = c.old_id::text`);

    await queryRunner.query(`DROP TABLE logo_file_copies, lesson_file_refs, lesson_file_copies`);

    // 4. The rest cannot be placed.
    await queryRunner.query(`UPDATE stored_files SET owner_kind = 'unplaced' WHERE owner_kind IS NULL`);

    await queryRunner.query(`CREATE INDEX "IDX_stored_files_owner" ON "stored_files" ("owner_kind", "owner_id")`);
    await queryRunner.query(
      `ALTER TABLE "stored_files" ADD CONSTRAINT "CHK_stored_files_owner" CHECK ((owner_id IS NULL) = (owner_kind IS NULL OR owner_kind = 'unplaced'))`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    // Copies made for shared files stay (same bytes, each referenced by its own course or template).
    await queryRunner.query(`ALTER TABLE "stored_files" DROP CONSTRAINT "CHK_stored_files_owner"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_stored_files_owner"`);
    await queryRunner.query(`ALTER TABLE "stored_files" DROP COLUMN "owner_id"`);
    await queryRunner.query(`ALTER TABLE "stored_files" DROP COLUMN "owner_kind"`);
  }
}

-- AlterTable (SQLite adds a nullable column with its foreign key in place, without copying the table)
ALTER TABLE "Course" ADD COLUMN "unitId" INTEGER REFERENCES "OrgUnit" ("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- Courses made on the web belong to the unit of the widest trainer or administrator role of
-- their author. Shipped courses (origin content) and courses without such an author keep no unit.
UPDATE "Course" SET "unitId" = (
  SELECT r."orgUnitId" FROM "RoleAssignment" r JOIN "OrgUnit" u ON u."id" = r."orgUnitId"
  WHERE r."userId" = "Course"."ownerId" AND r."role" IN ('trainer', 'admin')
  ORDER BY u."depth", r."id" LIMIT 1
) WHERE "origin" = 'web';


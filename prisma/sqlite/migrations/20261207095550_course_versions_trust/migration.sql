-- AlterTable
ALTER TABLE "Course" ADD COLUMN "unpublishedAt" DATETIME;

-- AlterTable
ALTER TABLE "CourseVersion" ADD COLUMN "intro" TEXT;
ALTER TABLE "CourseVersion" ADD COLUMN "restoresNumber" INTEGER;

-- AlterTable
ALTER TABLE "VersionLesson" ADD COLUMN "source" TEXT;

-- CreateTable
CREATE TABLE "PublishRequest" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "courseId" INTEGER NOT NULL,
    "requestedById" INTEGER,
    "requestedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "fingerprint" TEXT NOT NULL,
    "note" TEXT NOT NULL DEFAULT '',
    "status" TEXT NOT NULL DEFAULT 'pending',
    "decidedById" INTEGER,
    "decidedAt" DATETIME,
    "comment" TEXT NOT NULL DEFAULT '',
    "versionNumber" INTEGER,
    "openFor" INTEGER,
    CONSTRAINT "PublishRequest_courseId_fkey" FOREIGN KEY ("courseId") REFERENCES "Course" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "PublishRequest_openFor_key" ON "PublishRequest"("openFor");

-- CreateIndex
CREATE INDEX "PublishRequest_courseId_requestedAt_idx" ON "PublishRequest"("courseId", "requestedAt");


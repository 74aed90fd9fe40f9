-- CreateTable
CREATE TABLE "QuestionImport" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "courseId" INTEGER NOT NULL,
    "userId" INTEGER NOT NULL,
    "fileName" TEXT NOT NULL,
    "sha256" TEXT NOT NULL,
    "data" BLOB NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "appliedAt" DATETIME,
    "added" INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT "QuestionImport_courseId_fkey" FOREIGN KEY ("courseId") REFERENCES "Course" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- AlterTable
ALTER TABLE "QuizQuestion" ADD COLUMN "image" TEXT;
ALTER TABLE "QuizQuestion" ADD COLUMN "imageAlt" TEXT NOT NULL DEFAULT '';

-- AlterTable
ALTER TABLE "VersionQuestion" ADD COLUMN "image" TEXT;
ALTER TABLE "VersionQuestion" ADD COLUMN "imageAlt" TEXT NOT NULL DEFAULT '';

-- CreateIndex
CREATE INDEX "QuestionImport_courseId_createdAt_idx" ON "QuestionImport"("courseId", "createdAt");


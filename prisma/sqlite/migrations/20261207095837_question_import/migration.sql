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

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_QuizQuestion" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "courseId" INTEGER NOT NULL,
    "key" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "type" TEXT NOT NULL,
    "prompt" TEXT NOT NULL,
    "choices" TEXT NOT NULL,
    "explanation" TEXT NOT NULL DEFAULT '',
    "image" TEXT,
    "imageAlt" TEXT NOT NULL DEFAULT '',
    CONSTRAINT "QuizQuestion_courseId_fkey" FOREIGN KEY ("courseId") REFERENCES "Course" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_QuizQuestion" ("choices", "courseId", "explanation", "id", "key", "position", "prompt", "type") SELECT "choices", "courseId", "explanation", "id", "key", "position", "prompt", "type" FROM "QuizQuestion";
DROP TABLE "QuizQuestion";
ALTER TABLE "new_QuizQuestion" RENAME TO "QuizQuestion";
CREATE UNIQUE INDEX "QuizQuestion_courseId_key_key" ON "QuizQuestion"("courseId", "key");
CREATE TABLE "new_VersionQuestion" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "versionId" INTEGER NOT NULL,
    "key" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "prompt" TEXT NOT NULL,
    "choices" TEXT NOT NULL,
    "explanation" TEXT NOT NULL,
    "image" TEXT,
    "imageAlt" TEXT NOT NULL DEFAULT '',
    CONSTRAINT "VersionQuestion_versionId_fkey" FOREIGN KEY ("versionId") REFERENCES "CourseVersion" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_VersionQuestion" ("choices", "explanation", "id", "key", "prompt", "type", "versionId") SELECT "choices", "explanation", "id", "key", "prompt", "type", "versionId" FROM "VersionQuestion";
DROP TABLE "VersionQuestion";
ALTER TABLE "new_VersionQuestion" RENAME TO "VersionQuestion";
CREATE UNIQUE INDEX "VersionQuestion_versionId_key_key" ON "VersionQuestion"("versionId", "key");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "QuestionImport_courseId_createdAt_idx" ON "QuestionImport"("courseId", "createdAt");


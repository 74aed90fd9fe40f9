-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_QuizAttempt" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "enrollmentId" INTEGER NOT NULL,
    "versionId" INTEGER NOT NULL,
    "number" INTEGER NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'open',
    "startedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deadlineAt" DATETIME,
    "submittedAt" DATETIME,
    "questionCount" INTEGER NOT NULL,
    "correctCount" INTEGER,
    "score" INTEGER,
    "passed" BOOLEAN,
    "gradedScore" INTEGER,
    "overriddenById" INTEGER,
    "overriddenAt" DATETIME,
    "overrideReason" TEXT,
    CONSTRAINT "QuizAttempt_enrollmentId_fkey" FOREIGN KEY ("enrollmentId") REFERENCES "Enrollment" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "QuizAttempt_versionId_fkey" FOREIGN KEY ("versionId") REFERENCES "CourseVersion" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "QuizAttempt_overriddenById_fkey" FOREIGN KEY ("overriddenById") REFERENCES "User" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_QuizAttempt" ("correctCount", "deadlineAt", "enrollmentId", "id", "number", "passed", "questionCount", "score", "startedAt", "status", "submittedAt", "versionId") SELECT "correctCount", "deadlineAt", "enrollmentId", "id", "number", "passed", "questionCount", "score", "startedAt", "status", "submittedAt", "versionId" FROM "QuizAttempt";
DROP TABLE "QuizAttempt";
ALTER TABLE "new_QuizAttempt" RENAME TO "QuizAttempt";
CREATE INDEX "QuizAttempt_status_idx" ON "QuizAttempt"("status");
CREATE UNIQUE INDEX "QuizAttempt_enrollmentId_number_key" ON "QuizAttempt"("enrollmentId", "number");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;


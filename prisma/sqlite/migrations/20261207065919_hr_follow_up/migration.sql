-- AlterTable
ALTER TABLE "TrainingAssignment" ADD COLUMN "cancelledAt" DATETIME;

-- AlterTable
ALTER TABLE "Enrollment" ADD COLUMN "exemptAt" DATETIME;
ALTER TABLE "Enrollment" ADD COLUMN "exemptReason" TEXT;
ALTER TABLE "Enrollment" ADD COLUMN "dueReason" TEXT;
ALTER TABLE "Enrollment" ADD COLUMN "extraAttempts" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "Enrollment" ADD COLUMN "extraMinutes" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "PersonReminder" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "userId" INTEGER NOT NULL,
    "day" TEXT NOT NULL,
    "courseId" INTEGER NOT NULL,
    "sentById" INTEGER,
    "sentAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "PersonReminder_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "PersonReminder_userId_day_key" ON "PersonReminder"("userId", "day");

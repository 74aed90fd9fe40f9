-- AlterTable
ALTER TABLE "Enrollment" ADD COLUMN     "dueReason" TEXT,
ADD COLUMN     "exemptAt" TIMESTAMP(3),
ADD COLUMN     "exemptReason" TEXT,
ADD COLUMN     "extraAttempts" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "extraMinutes" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "TrainingAssignment" ADD COLUMN     "cancelledAt" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "PersonReminder" (
    "id" SERIAL NOT NULL,
    "userId" INTEGER NOT NULL,
    "day" TEXT NOT NULL,
    "courseId" INTEGER NOT NULL,
    "sentById" INTEGER,
    "sentAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PersonReminder_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "PersonReminder_userId_day_key" ON "PersonReminder"("userId", "day");

-- AddForeignKey
ALTER TABLE "PersonReminder" ADD CONSTRAINT "PersonReminder_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;


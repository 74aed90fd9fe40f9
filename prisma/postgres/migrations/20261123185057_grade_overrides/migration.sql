-- AlterTable
ALTER TABLE "QuizAttempt" ADD COLUMN     "gradedScore" INTEGER,
ADD COLUMN     "overriddenAt" TIMESTAMP(3),
ADD COLUMN     "overriddenById" INTEGER,
ADD COLUMN     "overrideReason" TEXT;

-- AddForeignKey
ALTER TABLE "QuizAttempt" ADD CONSTRAINT "QuizAttempt_overriddenById_fkey" FOREIGN KEY ("overriddenById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;


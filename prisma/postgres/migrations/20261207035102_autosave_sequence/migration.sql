-- AlterTable
ALTER TABLE "QuizAttempt" ADD COLUMN     "saveSeq" INTEGER NOT NULL DEFAULT 0;


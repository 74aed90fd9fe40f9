-- AlterTable
ALTER TABLE "Enrollment" ADD COLUMN     "completedByClassId" INTEGER;

-- AlterTable
ALTER TABLE "TrainingAssignment" ADD COLUMN     "acceptsClasses" BOOLEAN NOT NULL DEFAULT false;

-- AddForeignKey
ALTER TABLE "Enrollment" ADD CONSTRAINT "Enrollment_completedByClassId_fkey" FOREIGN KEY ("completedByClassId") REFERENCES "TrainingClass"("id") ON DELETE SET NULL ON UPDATE CASCADE;


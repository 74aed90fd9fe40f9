-- Added in place: rebuilding Enrollment would copy every enrolment of a province.
ALTER TABLE "Enrollment" ADD COLUMN "completedByClassId" INTEGER CONSTRAINT "Enrollment_completedByClassId_fkey" REFERENCES "TrainingClass" ("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "TrainingAssignment" ADD COLUMN "acceptsClasses" BOOLEAN NOT NULL DEFAULT false;

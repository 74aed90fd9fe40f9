-- AlterTable
ALTER TABLE "QuizQuestion" ADD COLUMN     "image" TEXT,
ADD COLUMN     "imageAlt" TEXT NOT NULL DEFAULT '';

-- AlterTable
ALTER TABLE "VersionQuestion" ADD COLUMN     "image" TEXT,
ADD COLUMN     "imageAlt" TEXT NOT NULL DEFAULT '';

-- CreateTable
CREATE TABLE "QuestionImport" (
    "id" SERIAL NOT NULL,
    "courseId" INTEGER NOT NULL,
    "userId" INTEGER NOT NULL,
    "fileName" TEXT NOT NULL,
    "sha256" TEXT NOT NULL,
    "data" BYTEA NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "appliedAt" TIMESTAMP(3),
    "added" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "QuestionImport_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "QuestionImport_courseId_createdAt_idx" ON "QuestionImport"("courseId", "createdAt");

-- AddForeignKey
ALTER TABLE "QuestionImport" ADD CONSTRAINT "QuestionImport_courseId_fkey" FOREIGN KEY ("courseId") REFERENCES "Course"("id") ON DELETE CASCADE ON UPDATE CASCADE;


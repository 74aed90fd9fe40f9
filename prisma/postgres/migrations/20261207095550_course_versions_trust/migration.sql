-- AlterTable
ALTER TABLE "Course" ADD COLUMN     "unpublishedAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "CourseVersion" ADD COLUMN     "intro" TEXT,
ADD COLUMN     "restoresNumber" INTEGER;

-- AlterTable
ALTER TABLE "VersionLesson" ADD COLUMN     "source" TEXT;

-- CreateTable
CREATE TABLE "PublishRequest" (
    "id" SERIAL NOT NULL,
    "courseId" INTEGER NOT NULL,
    "requestedById" INTEGER,
    "requestedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "fingerprint" TEXT NOT NULL,
    "note" TEXT NOT NULL DEFAULT '',
    "status" TEXT NOT NULL DEFAULT 'pending',
    "decidedById" INTEGER,
    "decidedAt" TIMESTAMP(3),
    "comment" TEXT NOT NULL DEFAULT '',
    "versionNumber" INTEGER,
    "openFor" INTEGER,

    CONSTRAINT "PublishRequest_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "PublishRequest_openFor_key" ON "PublishRequest"("openFor");

-- CreateIndex
CREATE INDEX "PublishRequest_courseId_requestedAt_idx" ON "PublishRequest"("courseId", "requestedAt");

-- AddForeignKey
ALTER TABLE "PublishRequest" ADD CONSTRAINT "PublishRequest_courseId_fkey" FOREIGN KEY ("courseId") REFERENCES "Course"("id") ON DELETE CASCADE ON UPDATE CASCADE;


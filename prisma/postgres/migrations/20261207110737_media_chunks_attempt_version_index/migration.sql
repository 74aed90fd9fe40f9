-- CreateTable
CREATE TABLE "MediaChunk" (
    "mediaId" INTEGER NOT NULL,
    "seq" INTEGER NOT NULL,
    "data" BYTEA NOT NULL,

    CONSTRAINT "MediaChunk_pkey" PRIMARY KEY ("mediaId","seq")
);

-- CreateIndex
CREATE INDEX "QuizAttempt_versionId_idx" ON "QuizAttempt"("versionId");

-- AddForeignKey
ALTER TABLE "MediaChunk" ADD CONSTRAINT "MediaChunk_mediaId_fkey" FOREIGN KEY ("mediaId") REFERENCES "Media"("id") ON DELETE CASCADE ON UPDATE CASCADE;


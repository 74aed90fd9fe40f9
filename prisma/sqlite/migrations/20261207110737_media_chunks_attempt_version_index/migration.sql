-- CreateTable
CREATE TABLE "MediaChunk" (
    "mediaId" INTEGER NOT NULL,
    "seq" INTEGER NOT NULL,
    "data" BLOB NOT NULL,

    PRIMARY KEY ("mediaId", "seq"),
    CONSTRAINT "MediaChunk_mediaId_fkey" FOREIGN KEY ("mediaId") REFERENCES "Media" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "QuizAttempt_versionId_idx" ON "QuizAttempt"("versionId");


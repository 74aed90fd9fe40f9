-- CreateTable
CREATE TABLE "TrainingHoursRule" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "orgUnitId" INTEGER NOT NULL,
    "position" TEXT NOT NULL DEFAULT '',
    "hours" INTEGER NOT NULL,
    "createdById" INTEGER,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "TrainingHoursRule_orgUnitId_fkey" FOREIGN KEY ("orgUnitId") REFERENCES "OrgUnit" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "TrainingHoursRule_orgUnitId_position_key" ON "TrainingHoursRule"("orgUnitId", "position");


-- CreateTable
CREATE TABLE "TrainingHoursRule" (
    "id" SERIAL NOT NULL,
    "orgUnitId" INTEGER NOT NULL,
    "position" TEXT NOT NULL DEFAULT '',
    "hours" INTEGER NOT NULL,
    "createdById" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TrainingHoursRule_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "TrainingHoursRule_orgUnitId_position_key" ON "TrainingHoursRule"("orgUnitId", "position");

-- AddForeignKey
ALTER TABLE "TrainingHoursRule" ADD CONSTRAINT "TrainingHoursRule_orgUnitId_fkey" FOREIGN KEY ("orgUnitId") REFERENCES "OrgUnit"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- CreateIndex
CREATE INDEX "DeviceRun_endedAt_idx" ON "DeviceRun"("endedAt");


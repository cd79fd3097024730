-- CreateTable
CREATE TABLE "GoldenImage" (
    "vendor" "Vendor" NOT NULL,
    "platformFamily" TEXT NOT NULL,
    "imageId" UUID NOT NULL,
    "markedById" UUID,
    "markedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "GoldenImage_pkey" PRIMARY KEY ("vendor","platformFamily")
);

-- CreateIndex
CREATE UNIQUE INDEX "GoldenImage_imageId_key" ON "GoldenImage"("imageId");

-- AddForeignKey
ALTER TABLE "GoldenImage" ADD CONSTRAINT "GoldenImage_imageId_fkey" FOREIGN KEY ("imageId") REFERENCES "SoftwareImage"("id") ON DELETE CASCADE ON UPDATE CASCADE;


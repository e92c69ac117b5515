-- CreateTable
CREATE TABLE "previous_traffic" (
    "credential_id" UUID NOT NULL,
    "minute" TIMESTAMPTZ(3) NOT NULL,
    "count" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "previous_traffic_pkey" PRIMARY KEY ("credential_id","minute")
);

-- AddForeignKey
ALTER TABLE "previous_traffic" ADD CONSTRAINT "previous_traffic_credential_id_fkey" FOREIGN KEY ("credential_id") REFERENCES "credentials"("id") ON DELETE CASCADE ON UPDATE CASCADE;

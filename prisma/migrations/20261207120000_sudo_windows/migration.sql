-- A step-up "sudo" window: after an accepted authenticator code, that session may take the
-- merchant's step-up actions that show no secret without another code, for 5 minutes.
CREATE TABLE "sudo_windows" (
    "session_id" UUID NOT NULL,
    "merchant_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "sudo_windows_pkey" PRIMARY KEY ("session_id","merchant_id")
);
CREATE INDEX "sudo_windows_expires_at_idx" ON "sudo_windows"("expires_at");
ALTER TABLE "sudo_windows" ADD CONSTRAINT "sudo_windows_merchant_id_fkey" FOREIGN KEY ("merchant_id") REFERENCES "merchants"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "sudo_windows" ADD CONSTRAINT "sudo_windows_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Sign-in attempts are counted per e-mail address, known or not, before the password is checked:
-- an unknown address locks exactly like an account does, and a race cannot outrun the counter.
CREATE TABLE "login_attempts" (
    "email_hash" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "window_started_at" TIMESTAMPTZ(3) NOT NULL,
    "locked_until" TIMESTAMPTZ(3),

    CONSTRAINT "login_attempts_pkey" PRIMARY KEY ("email_hash")
);

-- CreateIndex
CREATE INDEX "login_attempts_window_started_at_idx" ON "login_attempts"("window_started_at");

-- The counter on users is replaced by login_attempts.
ALTER TABLE "users" DROP COLUMN "failed_login_count",
DROP COLUMN "failed_login_window_at",
DROP COLUMN "login_locked_until";

-- The client addresses seen per usage bucket (at most 64 distinct per key, credential and hour),
-- so a dialog can say how many addresses used a credential in the last 7 days.
ALTER TABLE "usage_buckets" ADD COLUMN "client_ips" TEXT[] DEFAULT ARRAY[]::TEXT[];

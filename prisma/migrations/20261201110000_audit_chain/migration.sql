-- Tamper-evident audit log: each row stores its place in its merchant's chain (seq) and
-- hash = SHA-256(previous row's hash ‖ canonical row), hex; a merchant's first row follows 64 zeros.
-- The canonical row is the text of a jsonb array of the row's fields; lib/audit/chain.ts builds the
-- very same text to verify a chain, and its tests check that it accepts chains written here.
ALTER TABLE "audit_events" ADD COLUMN "seq" INTEGER, ADD COLUMN "hash" CHAR(64);

CREATE FUNCTION audit_chain_hash(previous TEXT, r "audit_events", n INTEGER) RETURNS TEXT
LANGUAGE sql STABLE AS $$
  SELECT encode(sha256(convert_to(previous || jsonb_build_array(
    'keyport.audit.v1', n, r."id", r."merchant_id", r."api_key_id", r."actor_id", r."actor_email", r."action",
    r."client_ip", r."before", r."after",
    to_char(r."created_at" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
  )::text, 'UTF8')), 'hex')
$$;

-- Existing rows, per merchant in (created_at, id) order.
DO $$
DECLARE
  r "audit_events";
  merchant UUID := NULL;
  previous TEXT;
  n INTEGER;
BEGIN
  FOR r IN SELECT * FROM "audit_events" ORDER BY "merchant_id", "created_at", "id" LOOP
    IF merchant IS DISTINCT FROM r."merchant_id" THEN
      merchant := r."merchant_id";
      previous := repeat('0', 64);
      n := 0;
    END IF;
    n := n + 1;
    previous := audit_chain_hash(previous, r, n);
    UPDATE "audit_events" SET "seq" = n, "hash" = previous WHERE "id" = r."id";
  END LOOP;
END $$;

-- New rows are chained when their transaction commits (a deferred trigger): the merchant's row
-- lock is then the last lock the transaction takes, held only while it commits, so it cannot
-- close a circle with the key, endpoint or membership locks the change took before. Concurrent
-- writers of one merchant queue on it; each statement here sees what the previous holder
-- committed, so the chain cannot fork, and the unique (merchant_id, seq) index refuses a fork
-- should a lock ever be missed.
CREATE FUNCTION audit_events_chain() RETURNS TRIGGER
LANGUAGE plpgsql AS $$
DECLARE
  r "audit_events";
  last RECORD;
  n INTEGER;
BEGIN
  PERFORM 1 FROM "merchants" WHERE "id" = NEW."merchant_id" FOR NO KEY UPDATE;
  SELECT * INTO r FROM "audit_events" WHERE "id" = NEW."id";
  IF NOT FOUND OR r."seq" IS NOT NULL THEN
    RETURN NULL;
  END IF;
  SELECT "seq", "hash" INTO last FROM "audit_events"
    WHERE "merchant_id" = NEW."merchant_id" AND "seq" IS NOT NULL ORDER BY "seq" DESC LIMIT 1;
  n := COALESCE(last."seq", 0) + 1;
  UPDATE "audit_events" SET "seq" = n, "hash" = audit_chain_hash(COALESCE(last."hash", repeat('0', 64)), r, n)
    WHERE "id" = NEW."id";
  RETURN NULL;
END $$;

CREATE CONSTRAINT TRIGGER "audit_events_chain" AFTER INSERT ON "audit_events"
DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION audit_events_chain();

-- CreateIndex
CREATE UNIQUE INDEX "audit_events_merchant_id_seq_key" ON "audit_events"("merchant_id", "seq");

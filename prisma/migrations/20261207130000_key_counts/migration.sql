-- Keys per merchant, environment and channel, kept by a trigger in the same transaction as the
-- key row: the grid's total and the channel groups read a few rows instead of counting an
-- inventory of 100,000 keys on every page view.
CREATE TABLE "key_counts" (
    "merchant_id" UUID NOT NULL,
    "environment" "Environment" NOT NULL,
    "channel" "Channel" NOT NULL,
    "n" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "key_counts_pkey" PRIMARY KEY ("merchant_id","environment","channel")
);
ALTER TABLE "key_counts" ADD CONSTRAINT "key_counts_merchant_id_fkey" FOREIGN KEY ("merchant_id") REFERENCES "merchants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE FUNCTION keyport_count_keys() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('DELETE', 'UPDATE') THEN
    UPDATE key_counts SET n = n - 1
      WHERE merchant_id = OLD.merchant_id AND environment = OLD.environment AND channel = OLD.channel;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    INSERT INTO key_counts (merchant_id, environment, channel, n) VALUES (NEW.merchant_id, NEW.environment, NEW.channel, 1)
      ON CONFLICT (merchant_id, environment, channel) DO UPDATE SET n = key_counts.n + 1;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER "api_keys_count" AFTER INSERT OR DELETE OR UPDATE OF "merchant_id", "environment", "channel" ON "api_keys"
  FOR EACH ROW EXECUTE FUNCTION keyport_count_keys();

INSERT INTO "key_counts" ("merchant_id", "environment", "channel", "n")
  SELECT "merchant_id", "environment", "channel", count(*)::int FROM "api_keys" GROUP BY 1, 2, 3;

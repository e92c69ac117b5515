-- The SDK change stream (GET /api/v1/keys/changes) sends each merchant only its own keys' ids:
-- every key_changes row carries its key's merchant, filled at insert from api_keys (a change is
-- recorded before a delete, in the same transaction, so the key is still there).
ALTER TABLE "key_changes" ADD COLUMN "merchant_id" UUID;

CREATE FUNCTION "keyport_key_changes_merchant"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW."merchant_id" IS NULL THEN
    SELECT "merchant_id" INTO NEW."merchant_id" FROM "api_keys" WHERE "id" = NEW."api_key_id";
  END IF;
  RETURN NEW;
END $$;

CREATE TRIGGER "key_changes_merchant" BEFORE INSERT ON "key_changes"
  FOR EACH ROW EXECUTE FUNCTION "keyport_key_changes_merchant"();

CREATE INDEX "key_changes_merchant_id_xid_idx" ON "key_changes"("merchant_id", "xid");

-- Which channels an account has active is data on the account, not a date check in code.
ALTER TABLE "merchants" ADD COLUMN "active_channels" "Channel"[] DEFAULT ARRAY[]::"Channel"[];

-- Master accounts opened before 6 June 2023 had FTP, HTTP, Email and Web Service from the start;
-- later master accounts and every sub-account start with none.
UPDATE "merchants" SET "active_channels" = ARRAY['FTP', 'HTTP', 'EMAIL', 'WEB_SERVICE']::"Channel"[]
WHERE "parent_id" IS NULL AND "created_at" < TIMESTAMPTZ '2023-06-06 00:00:00+00';

-- A channel becomes active with its first key: channels already holding keys are active.
UPDATE "merchants" m SET "active_channels" = ARRAY(
  SELECT DISTINCT c FROM unnest(coalesce(m."active_channels", ARRAY[]::"Channel"[]) || ARRAY(SELECT k."channel" FROM "api_keys" k WHERE k."merchant_id" = m."id")) AS c ORDER BY c
);

-- A channel-wide IP allow-list: a verification must match it and the key's own list, when both are set.
CREATE TABLE "channel_settings" (
  "merchant_id" UUID NOT NULL,
  "channel" "Channel" NOT NULL,
  "ip_allow_list" TEXT[] DEFAULT ARRAY[]::TEXT[],
  "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT "channel_settings_pkey" PRIMARY KEY ("merchant_id", "channel"),
  CONSTRAINT "channel_settings_merchant_id_fkey" FOREIGN KEY ("merchant_id") REFERENCES "merchants"("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- A channel becomes active with its first key, whichever door created it (portal, duplicate,
-- management API, seed): the insert's own transaction records it on the account.
CREATE FUNCTION "keyport_activate_key_channel"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "merchants" SET "active_channels" = array_append(coalesce("active_channels", ARRAY[]::"Channel"[]), NEW."channel")
  WHERE "id" = NEW."merchant_id" AND NOT (NEW."channel" = ANY (coalesce("active_channels", ARRAY[]::"Channel"[])));
  RETURN NEW;
END $$;

CREATE TRIGGER "api_keys_activate_channel" AFTER INSERT ON "api_keys"
FOR EACH ROW EXECUTE FUNCTION "keyport_activate_key_channel"();

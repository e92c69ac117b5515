-- While an instance delivers to an endpoint, the row it claimed says until when: no other
-- instance claims that endpoint's deliveries meanwhile (one at a time per endpoint, across
-- instances). Cleared when the attempt ends; a crashed instance's claim ends with its lease.
ALTER TABLE "webhook_deliveries" ADD COLUMN "leased_until" TIMESTAMPTZ(3);
CREATE INDEX "webhook_deliveries_endpoint_id_leased_until_idx" ON "webhook_deliveries"("endpoint_id", "leased_until");

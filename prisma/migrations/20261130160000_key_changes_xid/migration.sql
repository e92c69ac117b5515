-- The change feed is read in commit order, not sequence order: each row carries the id of the
-- transaction that wrote it, compared against the reader's snapshot horizon (xmin).
-- AlterTable
ALTER TABLE "key_changes" ADD COLUMN "xid" BIGINT NOT NULL DEFAULT (pg_current_xact_id())::text::bigint;

-- CreateIndex
CREATE INDEX "key_changes_xid_idx" ON "key_changes"("xid");

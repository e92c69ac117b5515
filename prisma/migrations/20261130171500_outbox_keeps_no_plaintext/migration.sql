-- Delivered mail keeps neither its props nor its rendered body in plaintext: an invitation's live
-- link sat in both. From now on the worker clears them on delivery (the local mailbox keeps a
-- sealed copy of the body); this clears what was delivered before. Data only: no schema change.
UPDATE "outbox_mails" SET "props" = '{}'::jsonb, "html" = NULL WHERE "status" = 'SENT';
UPDATE "outbox_mails" SET "props" = '{}'::jsonb WHERE "status" = 'DEAD' AND "template" = 'member-invited';

-- A typed password's hint showed its length ("•••••••• (25 chars)"): every one becomes the fixed
-- mask the app now writes. Data only: no schema change.
UPDATE "credentials" SET "secret_hint" = '••••••••' WHERE "kind" = 'USER_CHOSEN';

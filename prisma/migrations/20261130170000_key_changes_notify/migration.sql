-- Every write to the change feed also notifies, in the same transaction (PostgreSQL delivers a
-- NOTIFY only at commit, and only once per transaction for one channel and payload): verifiers
-- LISTEN and drop their cached key state at once instead of waiting for their next poll.
CREATE FUNCTION "keyport_notify_key_changes"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('keyport_key_changes', '');
  RETURN NULL;
END;
$$;

CREATE TRIGGER "key_changes_notify" AFTER INSERT ON "key_changes"
  FOR EACH STATEMENT EXECUTE FUNCTION "keyport_notify_key_changes"();

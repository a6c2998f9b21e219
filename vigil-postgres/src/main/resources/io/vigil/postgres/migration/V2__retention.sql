-- Vigil ledger on PostgreSQL, schema 2: retention. A prefix of the ledger that has been archived (see
-- docs/postgres.md) can be pruned, and only through security_audit_prune(), which records the cut: the seq where the
-- ledger now starts and the hash of the last pruned entry, to which the first remaining entry is chained. The Merkle
-- nodes stay: they hold no event data, and later checkpoints still prove the pruned prefix through them.

CREATE TABLE security_audit_pruned (
    upto       bigint      PRIMARY KEY CHECK (upto > 0),
    last_hash  text        NOT NULL CHECK (last_hash ~ '^[0-9a-f]{64}$'),
    archive    text        NOT NULL CHECK (length(archive) BETWEEN 1 AND 1000),
    pruned_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TRIGGER security_audit_pruned_append_only
    BEFORE UPDATE OR DELETE ON security_audit_pruned
    FOR EACH ROW EXECUTE FUNCTION security_audit_reject_change();
CREATE TRIGGER security_audit_pruned_no_truncate
    BEFORE TRUNCATE ON security_audit_pruned
    FOR EACH STATEMENT EXECUTE FUNCTION security_audit_reject_change();

-- Entries may be deleted only inside security_audit_prune(), which sets vigil.prune_upto for its own transaction.
CREATE OR REPLACE FUNCTION security_audit_reject_change() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    -- nested, because PL/pgSQL does not promise to stop at the first false operand (OLD.seq exists only here)
    IF TG_OP = 'DELETE' AND TG_TABLE_NAME IN ('security_audit_chain', 'security_audit_event')
            AND coalesce(current_setting('vigil.prune_upto', true), '') <> '' THEN
        IF TG_TABLE_NAME = 'security_audit_event' THEN
            RETURN OLD; -- the function deletes only the events of the entries it cuts
        END IF;
        IF OLD.seq < current_setting('vigil.prune_upto')::bigint THEN
            RETURN OLD;
        END IF;
    END IF;
    RAISE EXCEPTION 'Vigil: % is append-only; % is not allowed', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'restrict_violation';
END
$$;

CREATE FUNCTION security_audit_prune(p_upto bigint, p_archive text) RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
    v_start bigint;
    v_size  bigint;
    v_last  text;
    v_count bigint;
BEGIN
    -- the appenders' lock: no entry is added while the cut is made
    PERFORM pg_advisory_xact_lock(6217579140701178951);
    SELECT coalesce(max(upto), 0) INTO v_start FROM security_audit_pruned;
    SELECT coalesce(max(seq) + 1, v_start) INTO v_size FROM security_audit_chain;
    IF p_upto <= v_start THEN
        RAISE EXCEPTION 'Vigil: the ledger is already pruned up to seq %', v_start USING ERRCODE = 'check_violation';
    END IF;
    IF p_upto > v_size THEN
        RAISE EXCEPTION 'Vigil: cannot prune up to seq %: the ledger has % entries', p_upto, v_size
            USING ERRCODE = 'check_violation';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM security_audit_checkpoint WHERE tree_size >= p_upto) THEN
        RAISE EXCEPTION 'Vigil: no signed checkpoint covers seq % yet; prune only entries a checkpoint covers',
            p_upto - 1 USING ERRCODE = 'check_violation';
    END IF;
    SELECT hash INTO v_last FROM security_audit_chain WHERE seq = p_upto - 1;
    INSERT INTO security_audit_pruned (upto, last_hash, archive) VALUES (p_upto, v_last, p_archive);
    PERFORM set_config('vigil.prune_upto', p_upto::text, true);
    DELETE FROM security_audit_event e USING security_audit_chain c WHERE c.id = e.id AND c.seq < p_upto;
    DELETE FROM security_audit_chain WHERE seq < p_upto;
    GET DIAGNOSTICS v_count = ROW_COUNT;
    PERFORM set_config('vigil.prune_upto', '', true);
    RETURN v_count;
END
$$;

REVOKE ALL ON FUNCTION security_audit_prune(bigint, text) FROM PUBLIC;

DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'vigil_retention') THEN
        CREATE ROLE vigil_retention NOLOGIN;
    END IF;
END
$$;

REVOKE ALL ON security_audit_pruned FROM PUBLIC;
GRANT SELECT ON security_audit_pruned TO vigil_writer, vigil_reader, vigil_retention;
GRANT SELECT ON security_audit_event, security_audit_chain, security_audit_log, security_audit_checkpoint,
    security_audit_ledger, security_audit_merkle_node TO vigil_retention;
GRANT EXECUTE ON FUNCTION security_audit_prune(bigint, text) TO vigil_retention;

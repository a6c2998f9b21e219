-- Vigil ledger on PostgreSQL, schema 1: the entries, the signed checkpoints, the ledger's identity, and the rules
-- that make the entries append-only. Ledger format v1 (docs/ledger-format.md) applies unchanged: each entry's `entry`
-- holds the canonical line, whose bytes are hashed; every query column is derived from it, and verification checks
-- that each of them still matches the line.

CREATE TABLE security_audit_ledger (
    singleton   boolean     PRIMARY KEY DEFAULT true CHECK (singleton),
    origin      text        NOT NULL CHECK (length(origin) BETWEEN 1 AND 255),
    format      integer     NOT NULL CHECK (format = 1),
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- An entry is stored in two rows, written in one transaction: its event's query columns in security_audit_event, and
-- its place in the chain in security_audit_chain. An appender inserts the event rows first, alongside other appenders,
-- and takes the ledger's lock only to chain them: the query columns and their indexes, most of the server's work, stay
-- out of the serialized part. security_audit_log, a view, shows each entry as one row.
CREATE TABLE security_audit_event (
    id               uuid             PRIMARY KEY,
    "timestamp"      timestamptz      NOT NULL,
    category         text             NOT NULL,
    type             text             NOT NULL,
    action           text             NOT NULL,
    outcome          text             NOT NULL,
    severity         text             NOT NULL,
    actor_type       text,
    actor_id         text,
    actor_name       text,
    actor_ip         text,
    actor_user_agent text,
    tenant           text,
    service          text,
    session_id       text,
    request_id       text,
    trace_id         text,
    resource_type    text,
    resource_id      text,
    resource_name    text,
    reason           text,
    error            text,
    risk_score       double precision,
    anomaly_flags    text[]           NOT NULL DEFAULT '{}',
    details          jsonb            NOT NULL DEFAULT '{}'
);

-- hash has no index of its own: nothing looks a row up by it, and a unique index on random values would cost every
-- append a random page; a repeated or altered hash is what verification finds.
CREATE TABLE security_audit_chain (
    seq        bigint  PRIMARY KEY CHECK (seq >= 0),
    id         uuid    NOT NULL UNIQUE,
    entry      text    NOT NULL,
    prev_hash  text    NOT NULL CHECK (prev_hash ~ '^[0-9a-f]{64}$'),
    hash       text    NOT NULL CHECK (hash ~ '^[0-9a-f]{64}$')
);

COMMENT ON TABLE security_audit_event IS 'Vigil ledger: the query columns of each entry''s event; append-only';
COMMENT ON TABLE security_audit_chain IS 'Vigil ledger entries: append-only; seq is gapless and hash-chained';
COMMENT ON COLUMN security_audit_chain.entry IS 'the canonical JSON line of ledger format v1; the hashed bytes';

-- Seed 002's query patterns, each with time.
CREATE INDEX security_audit_event_actor_time    ON security_audit_event (actor_id, "timestamp");
CREATE INDEX security_audit_event_type_time     ON security_audit_event (type, "timestamp");
CREATE INDEX security_audit_event_resource_time ON security_audit_event (resource_type, resource_id, "timestamp");
CREATE INDEX security_audit_event_ip_time       ON security_audit_event (actor_ip, "timestamp");
CREATE INDEX security_audit_event_session_time  ON security_audit_event (session_id, "timestamp");
CREATE INDEX security_audit_event_tenant_time   ON security_audit_event (tenant, "timestamp");
CREATE INDEX security_audit_event_time          ON security_audit_event ("timestamp");

-- One row per entry, every column: what queries and auditors read.
CREATE VIEW security_audit_log AS
    SELECT c.seq, e.id, e."timestamp", e.category, e.type, e.action, e.outcome, e.severity, e.actor_type, e.actor_id,
           e.actor_name, e.actor_ip, e.actor_user_agent, e.tenant, e.service, e.session_id, e.request_id, e.trace_id,
           e.resource_type, e.resource_id, e.resource_name, e.reason, e.error, e.risk_score, e.anomaly_flags,
           e.details, c.entry, c.prev_hash, c.hash
    FROM security_audit_chain c JOIN security_audit_event e ON e.id = c.id;

CREATE TABLE security_audit_checkpoint (
    tree_size   bigint      PRIMARY KEY CHECK (tree_size >= 0),
    root        text        NOT NULL CHECK (root ~ '^[0-9a-f]{64}$'),
    created_at  timestamptz NOT NULL DEFAULT now(),
    note        text        NOT NULL
);

-- The RFC 6962 Merkle tree of the entries: every completed node, written in the same transaction as the entries it
-- covers. Proofs and roots read O(log n) nodes; verification recomputes it from the entries and uses the stored
-- leaves only to say which entry a rewrite started at.
CREATE TABLE security_audit_merkle_node (
    level  smallint NOT NULL CHECK (level BETWEEN 0 AND 62),
    idx    bigint   NOT NULL CHECK (idx >= 0),
    hash   bytea    NOT NULL CHECK (length(hash) = 32),
    PRIMARY KEY (level, idx)
);

-- Append-only: no row of the ledger changes or goes away, whoever asks. Privileges keep the writer role from even
-- trying; the triggers stop the table's owner and superusers too, unless they switch the triggers off, which is
-- what verification is for.
CREATE FUNCTION security_audit_reject_change() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'Vigil: % is append-only; % is not allowed', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'restrict_violation';
END
$$;

CREATE TRIGGER security_audit_event_append_only
    BEFORE UPDATE OR DELETE ON security_audit_event
    FOR EACH ROW EXECUTE FUNCTION security_audit_reject_change();
CREATE TRIGGER security_audit_event_no_truncate
    BEFORE TRUNCATE ON security_audit_event
    FOR EACH STATEMENT EXECUTE FUNCTION security_audit_reject_change();
CREATE TRIGGER security_audit_chain_append_only
    BEFORE UPDATE OR DELETE ON security_audit_chain
    FOR EACH ROW EXECUTE FUNCTION security_audit_reject_change();
CREATE TRIGGER security_audit_chain_no_truncate
    BEFORE TRUNCATE ON security_audit_chain
    FOR EACH STATEMENT EXECUTE FUNCTION security_audit_reject_change();
CREATE TRIGGER security_audit_checkpoint_append_only
    BEFORE UPDATE OR DELETE ON security_audit_checkpoint
    FOR EACH ROW EXECUTE FUNCTION security_audit_reject_change();
CREATE TRIGGER security_audit_checkpoint_no_truncate
    BEFORE TRUNCATE ON security_audit_checkpoint
    FOR EACH STATEMENT EXECUTE FUNCTION security_audit_reject_change();
CREATE TRIGGER security_audit_merkle_node_append_only
    BEFORE UPDATE OR DELETE ON security_audit_merkle_node
    FOR EACH ROW EXECUTE FUNCTION security_audit_reject_change();
CREATE TRIGGER security_audit_merkle_node_no_truncate
    BEFORE TRUNCATE ON security_audit_merkle_node
    FOR EACH STATEMENT EXECUTE FUNCTION security_audit_reject_change();
CREATE TRIGGER security_audit_ledger_append_only
    BEFORE UPDATE OR DELETE ON security_audit_ledger
    FOR EACH ROW EXECUTE FUNCTION security_audit_reject_change();
CREATE TRIGGER security_audit_ledger_no_truncate
    BEFORE TRUNCATE ON security_audit_ledger
    FOR EACH STATEMENT EXECUTE FUNCTION security_audit_reject_change();

-- Group roles (no login): applications log in as a user that is a member of one of them. The writer appends and
-- reads (to chain, to prove, to hand out entries); the reader only reads. Neither can change or remove anything.
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'vigil_writer') THEN
        CREATE ROLE vigil_writer NOLOGIN;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'vigil_reader') THEN
        CREATE ROLE vigil_reader NOLOGIN;
    END IF;
END
$$;

REVOKE ALL ON security_audit_event, security_audit_chain, security_audit_log, security_audit_checkpoint,
    security_audit_ledger, security_audit_merkle_node FROM PUBLIC;
GRANT INSERT ON security_audit_event, security_audit_chain, security_audit_checkpoint, security_audit_ledger,
    security_audit_merkle_node TO vigil_writer;
GRANT SELECT ON security_audit_event, security_audit_chain, security_audit_log, security_audit_checkpoint,
    security_audit_ledger, security_audit_merkle_node TO vigil_writer;
GRANT SELECT ON security_audit_event, security_audit_chain, security_audit_log, security_audit_checkpoint,
    security_audit_ledger, security_audit_merkle_node TO vigil_reader;

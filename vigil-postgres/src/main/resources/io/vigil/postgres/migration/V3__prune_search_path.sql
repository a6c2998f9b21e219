-- Vigil ledger on PostgreSQL, schema 3: security_audit_prune() resolves names in the schema that holds the ledger.
-- Schema 2 pinned it to public, which is right for a ledger in public and wrong for one in any other schema (a
-- server keeps each tenant's ledger in a schema of its own): there the function would prune the tables in public, or
-- fail. It is pinned here to the schema being migrated, with pg_temp last so that a caller's temporary objects cannot
-- stand in for the ledger's tables in this SECURITY DEFINER function.
DO $$
BEGIN
    EXECUTE format('ALTER FUNCTION security_audit_prune(bigint, text) SET search_path = %I, pg_temp',
        current_schema());
END
$$;

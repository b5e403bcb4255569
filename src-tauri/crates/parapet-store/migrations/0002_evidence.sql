-- Collected evidence: each record exactly as Microsoft returned it (the snapshot model's JSON
-- shape), never a token or secret. Removing a tenant removes its evidence.

-- Log kinds (sign-ins, directory audits, audit records, messages) accumulate across
-- collections; a re-collection upserts by id, so overlapping windows never duplicate.
CREATE TABLE evidence_log (
    tenant_id   TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    kind        TEXT NOT NULL,
    user_id     TEXT NOT NULL DEFAULT '',   -- '' for tenant-wide kinds
    record_id   TEXT NOT NULL,
    event_time  TEXT NOT NULL,              -- RFC 3339 UTC, for ordering and windows
    json        TEXT NOT NULL,
    PRIMARY KEY (tenant_id, kind, user_id, record_id)
) STRICT;  -- rows are ~1 KB of JSON: too large for WITHOUT ROWID
CREATE INDEX evidence_log_by_time ON evidence_log (tenant_id, kind, event_time);

-- Current-state kinds (users, rules, grants, apps, devices, ...) are replaced wholesale by each
-- collection, so a rule deleted in the tenant disappears here too. `position` keeps the order
-- the service listed them in.
CREATE TABLE evidence_state (
    tenant_id   TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    kind        TEXT NOT NULL,
    user_id     TEXT NOT NULL DEFAULT '',
    position    INTEGER NOT NULL,
    json        TEXT NOT NULL,
    PRIMARY KEY (tenant_id, kind, position)
) STRICT;

-- The newest event time fetched per (tenant, source), so the next collection starts there.
CREATE TABLE evidence_watermarks (
    tenant_id   TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    source      TEXT NOT NULL,
    newest      TEXT NOT NULL,              -- RFC 3339 UTC
    PRIMARY KEY (tenant_id, source)
) STRICT, WITHOUT ROWID;

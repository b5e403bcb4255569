-- Settings are small key/value pairs the technician edits in the Settings view.
CREATE TABLE settings (
    key   TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
) STRICT;

-- One row per onboarded client tenant. Secrets never live here: they are in the OS keyring.
CREATE TABLE tenants (
    id                  TEXT PRIMARY KEY NOT NULL,  -- Entra tenant id (GUID)
    display_name        TEXT NOT NULL,
    default_domain      TEXT NOT NULL,
    onboarded_at        TEXT NOT NULL,              -- ISO 8601 UTC
    response_enabled    INTEGER NOT NULL DEFAULT 0 CHECK (response_enabled IN (0, 1)),
    paused              INTEGER NOT NULL DEFAULT 0 CHECK (paused IN (0, 1)),
    scan_only           INTEGER NOT NULL DEFAULT 0 CHECK (scan_only IN (0, 1)),
    -- Entra ID licence level decides which logs exist: 'none' (7 days of sign-ins, via the
    -- audit log only), 'p1' (30 days), 'p2' (30 days plus risk data).
    entra_licence       TEXT NOT NULL DEFAULT 'none' CHECK (entra_licence IN ('none', 'p1', 'p2')),
    member_users        INTEGER NOT NULL DEFAULT 0,
    billable_users      INTEGER NOT NULL DEFAULT 0,
    last_verified_at    TEXT                        -- last successful call with its credentials
) STRICT;

-- One row per incident the Scan or monitoring raised. The id is the detector's stable id, so a
-- re-scan of the same evidence updates the row instead of adding one. `detail` is the
-- incident's signals, persistence artifacts and reasons as JSON (attacker-controlled text is
-- data: the UI renders it as text only).
CREATE TABLE incidents (
    id                  TEXT PRIMARY KEY NOT NULL,
    tenant_id           TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    user_principal_name TEXT NOT NULL,
    kind                TEXT NOT NULL CHECK (kind IN ('active_compromise', 'past_compromise', 'leftover_persistence')),
    severity            TEXT NOT NULL CHECK (severity IN ('low', 'medium', 'high', 'critical')),
    confidence          TEXT NOT NULL CHECK (confidence IN ('low', 'medium', 'high')),
    status              TEXT NOT NULL CHECK (status IN ('unpublished', 'active', 'remediated')),
    first_seen          TEXT NOT NULL,
    last_seen           TEXT NOT NULL,
    detail              TEXT NOT NULL,
    raised_at           TEXT NOT NULL,              -- when Parapet first raised it
    updated_at          TEXT NOT NULL
) STRICT;
CREATE INDEX incidents_by_tenant ON incidents (tenant_id, last_seen);

-- The last scan of each tenant: coverage, sources and targeted users, as JSON.
CREATE TABLE scans (
    tenant_id           TEXT PRIMARY KEY NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    finished_at         TEXT NOT NULL,
    summary             TEXT NOT NULL
) STRICT;

-- The append-only, hash-chained log of every remediation action (parapet-remediate's
-- LogRecord as JSON; each record's hash covers the previous one, so an edit is detectable).
-- Rows go only when their tenant is removed.
CREATE TABLE action_log (
    incident_id         TEXT NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
    sequence            INTEGER NOT NULL,
    record              TEXT NOT NULL,
    PRIMARY KEY (incident_id, sequence)
) STRICT;
CREATE TRIGGER action_log_is_append_only BEFORE UPDATE ON action_log
BEGIN
    SELECT RAISE(ABORT, 'the action log is append-only');
END;

-- The phishing message a technician tagged with Mark as Phish (JSON: internetMessageId,
-- sender, subject); it overrides the one the evidence shows and survives re-scans.
CREATE TABLE phish_tags (
    incident_id         TEXT PRIMARY KEY NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
    message             TEXT NOT NULL,
    tagged_at           TEXT NOT NULL
) STRICT;

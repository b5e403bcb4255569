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

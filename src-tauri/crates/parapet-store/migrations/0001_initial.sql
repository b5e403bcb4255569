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
    scan_only           INTEGER NOT NULL DEFAULT 0 CHECK (scan_only IN (0, 1))
) STRICT;

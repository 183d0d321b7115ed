-- Schema 6: coordinators administer their subtree in the browser (units, teams, members,
-- accounts, first-run set-up, uploads checked before they are stored). Times are epoch ms.

-- Deactivated, never deleted: records and reports keep pointing at them. A deactivated unit,
-- team or member leaves the lists, the phones' reference data and the targets' forms.
ALTER TABLE org_units ADD COLUMN deactivated_at BIGINT;
ALTER TABLE teams ADD COLUMN deactivated_at BIGINT;
ALTER TABLE members ADD COLUMN deactivated_at BIGINT;

-- Locked by an administrator until one unlocks it (`locked_until` is the failed-login lock,
-- which ends by itself).
ALTER TABLE coordinators ADD COLUMN locked_at BIGINT;

-- The one-time link `gocua serve` prints on an empty database: only the SHA-256 of its secret.
-- Used once, within its time.
CREATE TABLE setup_links (
    token_hash TEXT PRIMARY KEY,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT
);

-- An upload (hamlet CSV, target sheet) checked and shown as a preview, waiting for its owner to
-- confirm it: `body` is what will be stored (JSON), so confirming stores exactly what was shown.
-- `kind`: hamlets, targets. Previews older than a day are removed.
CREATE TABLE staged_uploads (
    id TEXT PRIMARY KEY,
    owner_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    used_at BIGINT
);
CREATE INDEX staged_uploads_created ON staged_uploads(created_at);

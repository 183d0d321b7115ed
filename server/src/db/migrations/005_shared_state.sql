-- Schema 5: what several `gocua serve` processes on one PostgreSQL must share lives in the
-- database, not in one process's memory (docs/backup.md, "Several instances").
--
-- Sign-in names that have no account, locked as an account would be (accounts keep their
-- count and lock in their own row). `name` is trimmed and lower-cased; times are epoch ms.
CREATE TABLE login_name_locks (
    name TEXT PRIMARY KEY,
    failed BIGINT NOT NULL,
    locked_until BIGINT,
    updated_at BIGINT NOT NULL
);
CREATE INDEX login_name_locks_updated ON login_name_locks(updated_at);
-- The dashboard's export jobs. `state`: running, done, failed, gone. A running job's `worker`
-- (the process making it) moves `heartbeat_at` every few seconds; another process takes over a
-- job whose heartbeat stopped and makes the file again from `request` (JSON: who asked, the
-- filter, the format). `erasures`: the erasure counter when the job started (a file made
-- before an erasure is never served). `file_path`: the finished file, in the process's export
-- directory or the shared GOCUA_EXPORT_DIR.
CREATE TABLE export_jobs (
    id TEXT PRIMARY KEY,
    owner_id TEXT NOT NULL,
    state TEXT NOT NULL,
    done_rows BIGINT NOT NULL,
    total_rows BIGINT NOT NULL,
    erasures BIGINT NOT NULL,
    request TEXT NOT NULL,
    worker TEXT NOT NULL,
    heartbeat_at BIGINT NOT NULL,
    started_at BIGINT NOT NULL,
    finished_at BIGINT,
    file_path TEXT,
    file_name TEXT,
    mime TEXT,
    message TEXT,
    gone_reason TEXT
);
CREATE INDEX export_jobs_owner ON export_jobs(owner_id, state);
CREATE INDEX export_jobs_state ON export_jobs(state, heartbeat_at);

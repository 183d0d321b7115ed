-- Schema 7: a short guide per catalogue service ("what to say and do at the door"), written by
-- coordinators in Markdown, Vietnamese first, and sent to phones with the reference data
-- (domain/coordination/guides.rs; the Markdown's rules are the protocol's, guide.rs).
-- Times are epoch ms.
CREATE TABLE service_guides (
    -- services.key; a guide is removed, never orphaned, by coordination::guides::delete_guide.
    service_key TEXT PRIMARY KEY,
    -- At most 8,000 characters, checked before it is stored.
    body TEXT NOT NULL,
    -- 1 while no coordinator has checked it (the built-in starter guides start so).
    needs_check BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    -- The account (username) that last changed or checked it, "cli" from the terminal; NULL for
    -- built-in starter content.
    updated_by TEXT,
    -- The reference sequence of the last change (every change bumps it, so phones pull again).
    seq BIGINT NOT NULL
);

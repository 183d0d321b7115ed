-- Schema 7: a short guide per catalogue service ("what to say and do at the door"), written by
-- coordinators in Markdown, Vietnamese first, and sent to phones with the reference data.
-- Times are epoch ms.
CREATE TABLE service_guides (
    service_key TEXT PRIMARY KEY,
    body TEXT NOT NULL,
    -- 1 while no coordinator has checked it (the built-in starter guides start so).
    needs_check BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    -- The coordinator who last changed it; NULL for built-in starter content.
    updated_by TEXT,
    seq BIGINT NOT NULL
);

-- Version 3: half-filled forms kept by the core (the apps kept them in platform storage).
CREATE TABLE drafts (
    form        TEXT NOT NULL,
    key         TEXT NOT NULL,
    body        TEXT NOT NULL,
    updated_utc INTEGER NOT NULL,
    PRIMARY KEY (form, key)
) WITHOUT ROWID;

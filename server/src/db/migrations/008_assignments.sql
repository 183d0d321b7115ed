-- Schema 8: walk lists. A team leader (from the phone) or a coordinator (from the dashboard)
-- gives a member of the team a hamlet or a household to cover in a campaign. Revoked, never
-- deleted. Times are epoch ms.
CREATE TABLE assignments (
    id TEXT PRIMARY KEY,
    campaign_id TEXT NOT NULL,
    team_id TEXT NOT NULL,
    member_id TEXT NOT NULL,
    commune_code TEXT NOT NULL,
    hamlet_code TEXT,
    household_id TEXT,
    revoked BIGINT NOT NULL,
    -- The record as last accepted (JSON), as for the other records phones send.
    body TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    seq BIGINT NOT NULL
);
CREATE INDEX assignments_team ON assignments(team_id, campaign_id);

-- Schema 9: coverage (domain/coverage.rs). The dashboard's coverage asks, for every household in
-- scope, when its last current visit in a campaign started; this index answers that with one
-- probe (`household_id = ? AND superseded_by IS NULL AND started_at` in a range, MAX), without
-- reading the visits' rows.
CREATE INDEX visits_coverage ON visits(household_id, superseded_by, started_at);

-- Schema 3: flags and audit entries keep what happened as data — a code (flags.kind,
-- audit_log.action) and its parameters as JSON — and the dashboard words them in the reader's
-- language. Rows written before keep their sentence in `detail` and have no parameters.
ALTER TABLE flags ADD COLUMN params TEXT;
ALTER TABLE audit_log ADD COLUMN params TEXT;

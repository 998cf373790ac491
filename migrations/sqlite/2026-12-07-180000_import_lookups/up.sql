-- An import looks up, batch by batch, which of its records an incident already holds by their
-- external ids (by time the existing indexes serve), instead of holding every id in memory.
-- Partial: records without an external id (most rows of a table) cost the index nothing.
CREATE INDEX events_external ON events(incident_id, external_id) WHERE external_id IS NOT NULL;
CREATE INDEX messages_external ON messages(incident_id, external_id) WHERE external_id IS NOT NULL;

PRAGMA foreign_keys = OFF;
BEGIN;
DROP TABLE IF EXISTS unsubscribe_tokens;
DROP TABLE IF EXISTS invitations_old;
CREATE TABLE invitations_old (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    survey_id BIGINT NOT NULL REFERENCES surveys(id) ON DELETE CASCADE,
    recipient_id BIGINT REFERENCES recipients(id) ON DELETE SET NULL,
    audience_id BIGINT REFERENCES audiences(id) ON DELETE SET NULL,
    locale TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    status TEXT NOT NULL CHECK (status IN ('pending', 'queued', 'sent', 'failed', 'answered')),
    sent_at TIMESTAMP,
    reminders_sent INTEGER NOT NULL DEFAULT 0,
    last_reminder_at TIMESTAMP,
    answered_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (survey_id, recipient_id)
);
INSERT INTO invitations_old (id, survey_id, recipient_id, audience_id, locale, token_hash, status,
        sent_at, reminders_sent, last_reminder_at, answered_at, created_at)
    SELECT id, survey_id, recipient_id, audience_id, locale, token_hash,
        CASE status WHEN 'opted_out' THEN 'failed' ELSE status END,
        sent_at, reminders_sent, last_reminder_at, answered_at, created_at
    FROM invitations;
DROP TABLE invitations;
ALTER TABLE invitations_old RENAME TO invitations;
COMMIT;
PRAGMA foreign_keys = ON;

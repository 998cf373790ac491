-- An invitation whose mail was cancelled because its recipient opted out is `opted_out`, not
-- left `queued` for ever. SQLite cannot alter a CHECK constraint: the table is rebuilt (the
-- steps of https://sqlite.org/lang_altertable.html#otheralter). Written to run again safely
-- should a crash come between its commit and the migration being recorded.
PRAGMA foreign_keys = OFF;
BEGIN;
DROP TABLE IF EXISTS invitations_new;
CREATE TABLE invitations_new (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    survey_id BIGINT NOT NULL REFERENCES surveys(id) ON DELETE CASCADE,
    recipient_id BIGINT REFERENCES recipients(id) ON DELETE SET NULL,
    audience_id BIGINT REFERENCES audiences(id) ON DELETE SET NULL,
    locale TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    status TEXT NOT NULL CHECK (status IN ('pending', 'queued', 'sent', 'failed', 'answered', 'opted_out')),
    sent_at TIMESTAMP,
    reminders_sent INTEGER NOT NULL DEFAULT 0,
    last_reminder_at TIMESTAMP,
    answered_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (survey_id, recipient_id)
);
INSERT INTO invitations_new (id, survey_id, recipient_id, audience_id, locale, token_hash, status,
        sent_at, reminders_sent, last_reminder_at, answered_at, created_at)
    SELECT id, survey_id, recipient_id, audience_id, locale, token_hash, status,
        sent_at, reminders_sent, last_reminder_at, answered_at, created_at
    FROM invitations;
DROP TABLE invitations;
ALTER TABLE invitations_new RENAME TO invitations;

-- The address of the one-click unsubscribe (List-Unsubscribe) and of the link in the mail's
-- footer: a token of its own per mail, hashed, naming the recipient (opting out is for every
-- survey). The personal answer link is no longer in any header.
CREATE TABLE IF NOT EXISTS unsubscribe_tokens (
    token_hash TEXT PRIMARY KEY NOT NULL,
    recipient_id BIGINT NOT NULL REFERENCES recipients(id) ON DELETE CASCADE,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX IF NOT EXISTS unsubscribe_tokens_recipient ON unsubscribe_tokens(recipient_id);

-- Mail that has gone out (or failed for good) keeps no personal link: headers went with the bodies.
UPDATE outbox SET headers = '{}' WHERE status = 'sent';
UPDATE outbox SET body_text = '', body_html = NULL, headers = '{}' WHERE status = 'failed';
COMMIT;
PRAGMA foreign_keys = ON;

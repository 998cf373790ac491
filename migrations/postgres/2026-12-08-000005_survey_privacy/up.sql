-- An invitation whose mail was cancelled because its recipient opted out is `opted_out`, not
-- left `queued` for ever.
ALTER TABLE invitations DROP CONSTRAINT invitations_status_check;
ALTER TABLE invitations ADD CONSTRAINT invitations_status_check
    CHECK (status IN ('pending', 'queued', 'sent', 'failed', 'answered', 'opted_out'));

-- The address of the one-click unsubscribe (List-Unsubscribe) and of the link in the mail's
-- footer: a token of its own per mail, hashed, naming the recipient (opting out is for every
-- survey). The personal answer link is no longer in any header.
CREATE TABLE unsubscribe_tokens (
    token_hash TEXT PRIMARY KEY,
    recipient_id BIGINT NOT NULL REFERENCES recipients(id) ON DELETE CASCADE,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX unsubscribe_tokens_recipient ON unsubscribe_tokens(recipient_id);

-- Mail that has gone out (or failed for good) keeps no personal link: headers went with the bodies.
UPDATE outbox SET headers = '{}' WHERE status = 'sent';
UPDATE outbox SET body_text = '', body_html = NULL, headers = '{}' WHERE status = 'failed';

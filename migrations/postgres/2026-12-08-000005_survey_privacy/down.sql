DROP TABLE unsubscribe_tokens;
UPDATE invitations SET status = 'failed' WHERE status = 'opted_out';
ALTER TABLE invitations DROP CONSTRAINT invitations_status_check;
ALTER TABLE invitations ADD CONSTRAINT invitations_status_check
    CHECK (status IN ('pending', 'queued', 'sent', 'failed', 'answered'));

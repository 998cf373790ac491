-- The day (in the organisation's zone) an owner last got the digest of their overdue and soon-due
-- actions: the scheduler claims a user by moving this date forward in the transaction that
-- queues the mail, so two instances never send the same digest.
ALTER TABLE users ADD COLUMN action_digest_on DATE;
CREATE INDEX improvement_actions_incident ON improvement_actions(incident_id);
CREATE INDEX review_pins_review ON review_pins(review_id);

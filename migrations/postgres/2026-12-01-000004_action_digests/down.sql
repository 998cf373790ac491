DROP INDEX review_pins_review;
DROP INDEX improvement_actions_incident;
ALTER TABLE users DROP COLUMN action_digest_on;

-- Respondents read a survey in their own language: the title in German beside the English one
-- (`title`), and an optional introduction in both.
ALTER TABLE surveys ADD COLUMN title_de TEXT NOT NULL DEFAULT '';
ALTER TABLE surveys ADD COLUMN intro_en TEXT NOT NULL DEFAULT '';
ALTER TABLE surveys ADD COLUMN intro_de TEXT NOT NULL DEFAULT '';

-- Every personal link of an invitation, hashed. A reminder carries a new link (the first one
-- cannot be recovered from its hash), and both links lead to the same invitation.
CREATE TABLE invitation_tokens (
    token_hash TEXT PRIMARY KEY NOT NULL,
    invitation_id BIGINT NOT NULL REFERENCES invitations(id) ON DELETE CASCADE,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX invitation_tokens_invitation ON invitation_tokens(invitation_id);

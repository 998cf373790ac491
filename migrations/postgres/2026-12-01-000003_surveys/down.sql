DROP TABLE invitation_tokens;
ALTER TABLE surveys DROP COLUMN intro_de;
ALTER TABLE surveys DROP COLUMN intro_en;
ALTER TABLE surveys DROP COLUMN title_de;

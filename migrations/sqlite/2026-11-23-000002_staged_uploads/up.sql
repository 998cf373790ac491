-- Files uploaded for an import preview, kept until the person commits or discards them, so the
-- commit does not need the file again and works on whichever instance receives it.
CREATE TABLE staged_uploads (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    token_hash TEXT NOT NULL,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    options TEXT NOT NULL,
    file_name TEXT NOT NULL,
    content BLOB NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX staged_uploads_token ON staged_uploads(token_hash);

-- Uploaded images: the file lives on disk under --data-dir; this is what is
-- known of it. `id` is 32 hex digits, random.
CREATE TABLE uploads (
    id TEXT PRIMARY KEY NOT NULL,
    owner INTEGER NOT NULL,
    content_type TEXT NOT NULL,
    bytes INTEGER NOT NULL,
    width INTEGER NOT NULL,
    height INTEGER NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX uploads_by_owner ON uploads (owner, created_at);

-- A message's attachments, as the JSON array the wire carries; NULL for none.
ALTER TABLE messages ADD COLUMN attachments TEXT;

-- Resends are recognised per sender session and room, even after a restart: each
-- message keeps its sender's session key (0 for messages stored before this).
ALTER TABLE messages ADD COLUMN session INTEGER NOT NULL DEFAULT 0;
CREATE INDEX messages_by_session ON messages (session, timestamp) WHERE session <> 0;

-- Rooms empty and silent for long are archived: hidden until created again.
ALTER TABLE rooms ADD COLUMN archived_at INTEGER;

-- The key resume tokens are signed with, made once per database.
CREATE TABLE secrets (
    name   TEXT NOT NULL PRIMARY KEY,
    value  BLOB NOT NULL
);

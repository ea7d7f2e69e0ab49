-- Edits, and the place of a message's last change in its room's sequence of ids.
-- A catch-up from id N returns the messages whose id or rev is past N, in the
-- order of the larger: the index is on that expression.
ALTER TABLE messages ADD COLUMN edited_at INTEGER;
ALTER TABLE messages ADD COLUMN rev INTEGER NOT NULL DEFAULT 0;
CREATE INDEX messages_position ON messages (room, max(id, rev));

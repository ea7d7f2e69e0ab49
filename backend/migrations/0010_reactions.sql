-- Reactions: who reacted to which message with which emoji, in the order made
-- (the rowid). A reaction taken back is deleted.
CREATE TABLE reactions (
    room       TEXT    NOT NULL,
    message_id INTEGER NOT NULL,
    emoji      TEXT    NOT NULL,
    user_id    INTEGER NOT NULL,
    UNIQUE (room, message_id, emoji, user_id)
);

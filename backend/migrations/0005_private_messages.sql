-- Private messages between accounts, and how far each account has read each
-- conversation (for unread counts).
CREATE TABLE private_messages (
    id        INTEGER PRIMARY KEY,
    from_id   INTEGER NOT NULL,
    from_name TEXT    NOT NULL,
    to_id     INTEGER NOT NULL,
    to_name   TEXT    NOT NULL,
    content   TEXT    NOT NULL,
    timestamp INTEGER NOT NULL
);
CREATE INDEX private_messages_from ON private_messages (from_id, to_id, id);
CREATE INDEX private_messages_to ON private_messages (to_id, from_id, id);

CREATE TABLE private_reads (
    user_id INTEGER NOT NULL,
    with_id INTEGER NOT NULL,
    up_to   INTEGER NOT NULL,
    PRIMARY KEY (user_id, with_id)
);

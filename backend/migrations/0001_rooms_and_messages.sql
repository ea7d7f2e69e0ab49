-- Rooms and their public messages. Message ids increase within a room; the sender's
-- txn_id is kept so a resend after a crash can be recognised.
CREATE TABLE rooms (
    name        TEXT    NOT NULL PRIMARY KEY,
    created_at  INTEGER NOT NULL
);

CREATE TABLE messages (
    room        TEXT    NOT NULL REFERENCES rooms(name),
    id          INTEGER NOT NULL,
    from_id     INTEGER NOT NULL,
    from_name   TEXT    NOT NULL,
    content     TEXT    NOT NULL,
    timestamp   INTEGER NOT NULL,
    txn_id      TEXT,
    PRIMARY KEY (room, id)
) WITHOUT ROWID;

-- The tutorial's example rooms, on a fresh database.
INSERT INTO rooms (name, created_at) VALUES
    ('general', strftime('%s', 'now')),
    ('random',  strftime('%s', 'now')),
    ('gaming',  strftime('%s', 'now'));

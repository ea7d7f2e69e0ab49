-- Moderation: roles already live in accounts.role. Mutes and bans in force, the
-- audit log, tombstones for deleted messages, and read-only rooms.
CREATE TABLE mutes (
    user_id INTEGER NOT NULL,
    name    TEXT    NOT NULL,
    room    TEXT    NOT NULL DEFAULT '',   -- '' mutes everywhere
    address TEXT,                          -- a guest's client address
    until   INTEGER NOT NULL,
    reason  TEXT    NOT NULL,
    by_name TEXT    NOT NULL,
    PRIMARY KEY (user_id, room)
);

CREATE TABLE bans (
    user_id INTEGER PRIMARY KEY,
    name    TEXT    NOT NULL,
    address TEXT,                          -- a guest's client address
    until   INTEGER,                       -- NULL: until lifted
    reason  TEXT    NOT NULL,
    by_name TEXT    NOT NULL
);

CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    at          INTEGER NOT NULL,
    action      TEXT    NOT NULL,
    by_id       INTEGER,                   -- NULL: the server or the command line
    by_name     TEXT    NOT NULL,
    target_id   INTEGER,
    target_name TEXT,
    room        TEXT,
    message_id  INTEGER,
    reason      TEXT    NOT NULL DEFAULT '',
    until       INTEGER,
    role        TEXT,
    automatic   INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX audit_log_by_time ON audit_log (at);

-- When the role last changed (ms): a running server takes a role read with an
-- account's session only if it is newer than the last it set itself, so a
-- command-line grant takes effect and a stale read never undoes a fresh grant.
ALTER TABLE accounts ADD COLUMN role_changed_ms INTEGER NOT NULL DEFAULT 0;
ALTER TABLE messages ADD COLUMN deleted INTEGER NOT NULL DEFAULT 0;
ALTER TABLE rooms ADD COLUMN read_only INTEGER NOT NULL DEFAULT 0;

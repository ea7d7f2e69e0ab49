-- What is kept of a member so its session outlives the process: who it was and
-- which rooms it was in, under its session key. Guests' rows expire with their
-- tokens (see SqliteStore::load); accounts' stay.
CREATE TABLE member_sessions (
    session    INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL,
    name       TEXT    NOT NULL,
    rooms      TEXT    NOT NULL,
    updated_at INTEGER NOT NULL
);

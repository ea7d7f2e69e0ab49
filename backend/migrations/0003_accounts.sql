-- Accounts and their signed-in sessions. Passwords are argon2id PHC strings;
-- session tokens are stored only as their SHA-256.
CREATE TABLE accounts (
    user_id       INTEGER PRIMARY KEY,
    username      TEXT    NOT NULL,
    name_key      TEXT    NOT NULL UNIQUE,
    password_hash TEXT    NOT NULL,
    role          TEXT    NOT NULL DEFAULT 'member',
    created_at    INTEGER NOT NULL
);

CREATE TABLE account_sessions (
    token_hash TEXT    PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES accounts (user_id),
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);

CREATE INDEX account_sessions_by_user ON account_sessions (user_id, created_at);

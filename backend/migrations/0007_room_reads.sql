-- Read receipts: how far each account has read each room. The marker only moves
-- forward (the upsert keeps the larger id), so unread counts survive reloads and
-- follow the account across devices.
CREATE TABLE room_reads (
    user_id INTEGER NOT NULL,
    room    TEXT    NOT NULL,
    up_to   INTEGER NOT NULL,
    PRIMARY KEY (user_id, room)
) WITHOUT ROWID;

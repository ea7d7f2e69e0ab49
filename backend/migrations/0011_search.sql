-- Full-text search over public messages (FTS5, trigram tokenizer: substrings in
-- any script, Chinese as well as English, case-insensitive).
--
-- `messages` has no rowid, so each searchable message gets one here, in the order
-- messages are stored: newest first is `rowid DESC`. The index itself is
-- contentless (the text stays only in `messages`) and lets rows be deleted, so an
-- edit or a deletion takes the old words out.
CREATE TABLE message_search_keys (
    rowid  INTEGER PRIMARY KEY,
    room   TEXT    NOT NULL,
    id     INTEGER NOT NULL,
    UNIQUE (room, id)
);

CREATE VIRTUAL TABLE message_search USING fts5(
    content, content = '', contentless_delete = 1, tokenize = 'trigram', detail = 'none'
);

CREATE TRIGGER message_search_insert AFTER INSERT ON messages BEGIN
    INSERT INTO message_search_keys (room, id) VALUES (NEW.room, NEW.id);
    INSERT INTO message_search (rowid, content) VALUES (last_insert_rowid(), NEW.content);
END;

CREATE TRIGGER message_search_update AFTER UPDATE OF content ON messages
WHEN NEW.content IS NOT OLD.content BEGIN
    DELETE FROM message_search WHERE rowid =
        (SELECT rowid FROM message_search_keys WHERE room = OLD.room AND id = OLD.id);
    INSERT INTO message_search (rowid, content)
        SELECT rowid, NEW.content FROM message_search_keys
        WHERE room = NEW.room AND id = NEW.id AND NEW.content <> '';
END;

-- What is already stored, oldest first.
INSERT INTO message_search_keys (room, id)
    SELECT room, id FROM messages ORDER BY timestamp, room, id;
INSERT INTO message_search (rowid, content)
    SELECT k.rowid, m.content FROM message_search_keys k
    JOIN messages m ON m.room = k.room AND m.id = k.id
    WHERE m.content <> '';

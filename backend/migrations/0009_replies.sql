-- A message may answer another of its room.
ALTER TABLE messages ADD COLUMN reply_to INTEGER;

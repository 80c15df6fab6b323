-- Schema version 6: how often a server says a song was played (Subsonic `playCount`), the
-- recommender's "popular on your server" signal before it knows this person.

ALTER TABLE tracks ADD COLUMN server_play_count INTEGER;

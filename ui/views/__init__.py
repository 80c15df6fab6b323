"""The window's pages beyond the song table: browsing by artist, album, genre, playlist."""

"""What the window does between its widgets and app/: search, sync, recommendations, the
library scan, now playing, the pages and their history, the song menu."""

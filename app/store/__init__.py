"""The SQLite database: one file, a connection per thread, numbered migrations."""

"""Remote catalogs: the OpenSubsonic client, response parsing, server settings and sync."""

"""Seeding listening history from Spotify and ListenBrainz exports."""

"""Prelude's front ends: the Qt window and the command line. Depends on app/, never the reverse."""

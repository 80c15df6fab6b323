"""Loudness owned by Prelude: what each track's gain is, and measuring tracks without tags."""

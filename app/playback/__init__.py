"""Playback: the engine interface and its VLC and null engines, the queue, the player."""

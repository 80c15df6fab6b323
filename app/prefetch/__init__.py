"""Keeping the next tracks on disk before they are asked for: the audio cache and prefetcher."""

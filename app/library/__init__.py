"""Local music folders: reading tags, scanning incrementally, the demo library."""

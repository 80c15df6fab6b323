"""The app's own error types: each carries a message fit to show a person as it is."""


class PreludeError(Exception):
    """Base class; str(error) is a complete, readable sentence."""


class UsageError(PreludeError):
    """Bad command-line input or a missing folder."""


class StoreError(PreludeError):
    """The database could not be opened or is damaged."""


class PlaybackError(PreludeError):
    """A track could not be played."""


class CatalogError(PreludeError):
    """A music server could not be reached, refused us, or answered something unusable."""


class ServerUnreachableError(CatalogError):
    """The server could not be reached or did not answer in time (not: it answered wrongly)."""


class SecretsError(PreludeError):
    """The OS keyring is missing or refused to store or give back a password."""

"""The error tree. Expected rejections (duplicate, too short, not news) are values, not these."""


class NewsprismError(Exception):
    """Base of every error newsprism raises on purpose."""


class InputError(NewsprismError):
    """An input file or record cannot be read as what it claims to be."""


class StoreError(NewsprismError):
    """The store cannot be opened, migrated or written."""


class ConfigError(NewsprismError):
    """Settings are invalid or a named backend does not exist."""


class ModelUnavailable(NewsprismError):
    """An optional model or package is not installed; the message says what to install."""


class NotFound(NewsprismError, KeyError):
    """A story, article or outlet id that the store does not hold (still a `KeyError` for callers)."""

    def __str__(self) -> str:
        # KeyError quotes its argument; the message should read as a sentence
        return str(self.args[0]) if self.args else "not found"


class UsageError(NewsprismError, ValueError):
    """A function was called with arguments it cannot take: a caller's bug, not bad input (still a
    `ValueError` for callers that catch that)."""

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

"""Domain errors: each carries the polite Indonesian sentence a person should read."""


class DomainError(Exception):
    """A rule was broken; ``message`` is what the person who tried is told."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(DomainError):
    """The thing asked for does not exist (or is not visible to the asker)."""


class NotAllowed(DomainError):
    """The person may not do this."""


class InvalidInput(DomainError):
    """What the person sent cannot be accepted as it is."""

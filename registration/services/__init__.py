"""Business rules as plain functions: no request, session or template in here."""


class DomainError(Exception):
    """A rule said no. `message` is a translated sentence fit to show the person."""

    def __init__(self, message: str) -> None:
        super().__init__(str(message))
        self.message = message

"""Domain errors raised by services; views and one error handler turn them into responses."""


class DomainError(Exception):
    """Base class: a message meant for the person, optionally tied to one form field."""

    status = 400

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class NotAllowed(DomainError):
    status = 403


class NotFound(DomainError):
    status = 404


class Conflict(DomainError):
    status = 409

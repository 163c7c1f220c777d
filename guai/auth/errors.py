"""Errors raised by account services, with messages fit to show the user."""


class AuthError(Exception):
    """A request about accounts cannot be done (duplicate, unknown, invalid); message is Korean."""


class PermissionDenied(AuthError):
    """The acting user may not do this."""

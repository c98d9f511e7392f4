"""Password rules after NCSC guidance and OWASP ASVS 2.1: length, not complexity."""

from django.core.exceptions import ValidationError

PASSWORD_TOO_LONG = "Password must be {max_length} characters or fewer."  # noqa: S105 - a message, not a password


class MaximumLengthValidator:
    """Refuse passwords longer than max_length (ASVS 2.1.2 asks that at least 64 be allowed)."""

    def __init__(self, max_length: int = 128):
        if max_length < 64:
            raise ValueError("The maximum password length must allow at least 64 characters.")
        self.max_length = max_length

    def validate(self, password: str, user=None) -> None:
        if len(password) > self.max_length:
            raise ValidationError(PASSWORD_TOO_LONG.format(max_length=self.max_length), code="password_too_long")

    def get_help_text(self) -> str:
        return f"Your password can be up to {self.max_length} characters long; a phrase of several words is good."

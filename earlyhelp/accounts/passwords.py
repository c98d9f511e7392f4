"""Password rules after NCSC guidance and OWASP ASVS 2.1: length and guessability, not complexity."""

from django.core.exceptions import ValidationError
from zxcvbn import zxcvbn

PASSWORD_TOO_LONG = "Password must be {max_length} characters or fewer."  # noqa: S105 - a message, not a password
PASSWORD_GUESSABLE = (
    "This password is too easy to guess: avoid sequences (1234, abcd), repeated characters and common words;"  # noqa: S105 - a message
    " a phrase of several unrelated words is good."
)


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


class GuessabilityValidator:
    """Refuse passwords an offline guesser finds quickly: sequences, repeats, keyboard runs, dictionary
    words and the person's own names (ASVS 2.1.7 asks for a check against breached and common
    passwords). zxcvbn estimates this offline; nothing leaves the server."""

    # zxcvbn's own ceiling: its matching is quadratic in length, and a password longer than this is
    # judged on its first part, which must then be hard to guess on its own.
    CHECKED_LENGTH = 72

    def __init__(self, min_score: int = 3):
        self.min_score = min_score

    def validate(self, password: str, user=None) -> None:
        known = [getattr(user, name, "") for name in ("username", "first_name", "last_name", "email")]
        estimate = zxcvbn(password[: self.CHECKED_LENGTH], user_inputs=[value for value in known if value])
        if estimate["score"] < self.min_score:
            raise ValidationError(PASSWORD_GUESSABLE, code="password_guessable")

    def get_help_text(self) -> str:
        return "Your password must not be easy to guess: no sequences, repeats or common words."

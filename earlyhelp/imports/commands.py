"""What the import commands (import_dataset, import_history, import_social_care) share."""

from django.core.management.base import CommandError

from earlyhelp.accounts.models import User


def importing_user(username: str, *, unknown: str) -> User:
    """The active account an import is recorded against; `unknown` (naming `{username}`) ends the command
    where there is none."""
    actor = User.objects.filter(username=username, is_active=True).first()
    if actor is None:
        raise CommandError(unknown.format(username=username))
    return actor

from base64 import b32encode

from django.core.management.base import BaseCommand
from django_otp.oath import TOTP

from earlyhelp.accounts.models import User
from earlyhelp.demo.borough import DEMO_PASSWORD, DEMO_USERS, demo_authenticators
from earlyhelp.demo.directory import DEMO_EDITOR

# The partnership's demo accounts, then the directory's provider editor.
DEMO_USERNAMES = [row[0] for row in DEMO_USERS] + [DEMO_EDITOR]


class Command(BaseCommand):
    help = "Print the demo sign-ins, one per role, with each account's authenticator secret."

    def add_arguments(self, parser):
        parser.add_argument("--code", metavar="USERNAME", help="print only the current security code for one account")

    def handle(self, *args, code: str | None = None, **options):
        users = sorted(
            User.objects.filter(username__in=DEMO_USERNAMES).select_related("agency"),
            key=lambda user: DEMO_USERNAMES.index(user.username),
        )
        devices = demo_authenticators(users)
        if code:
            device = devices.get(code)
            if device is None:
                self.stderr.write(f"{code} is not a demo account.")
                return
            self.stdout.write(f"{TOTP(device.bin_key).token():06d}")
            return
        self.stdout.write("\nDemo sign-ins (local demo only), password for all: " + self.style.SUCCESS(DEMO_PASSWORD))
        self.stdout.write(
            "Each account also asks for a security code. Add its secret to an authenticator app, or run\n"
            "  .venv/bin/python manage.py demo_users --code <username>\n"
            "for the code valid now. These secrets are for the synthetic demo only."
        )
        for user in users:
            device = devices[user.username]
            secret = b32encode(device.bin_key).decode().rstrip("=")
            editor = " (directory editor)" if user.username == DEMO_EDITOR else ""
            self.stdout.write(
                f"  {user.username:<14} {user.get_role_display():<30} {user.display_name}, "
                f"{user.job_title}{editor}, {user.agency.name if user.agency else ''}"
            )
            self.stdout.write(f"  {'':<14} secret {secret}  {device.config_url}")
        self.stdout.write("")

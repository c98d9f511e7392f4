from base64 import b32encode

from django.core.management.base import BaseCommand
from django_otp.oath import TOTP

from earlyhelp.accounts.models import User
from earlyhelp.demo.borough import DEMO_PASSWORD, DEMO_USERS, demo_authenticators


class Command(BaseCommand):
    help = "Print the demo sign-ins, one per role, with each account's authenticator secret."

    def add_arguments(self, parser):
        parser.add_argument("--code", metavar="USERNAME", help="print only the current security code for one account")

    def handle(self, *args, code: str | None = None, **options):
        users = list(User.objects.filter(username__in=[row[0] for row in DEMO_USERS]))
        devices = demo_authenticators(users)
        if code:
            device = devices.get(code)
            if device is None:
                self.stderr.write(f"{code} is not a demo account.")
                return
            self.stdout.write(f"{TOTP(device.bin_key).token():06d}")
            return
        present = {user.username for user in users}
        self.stdout.write("\nDemo sign-ins (local demo only), password for all: " + self.style.SUCCESS(DEMO_PASSWORD))
        self.stdout.write(
            "Each account also asks for a security code. Add its secret to an authenticator app, or run\n"
            "  .venv/bin/python manage.py demo_users --code <username>\n"
            "for the code valid now. These secrets are for the synthetic demo only."
        )
        for username, role, first, last, agency, _, job in DEMO_USERS:
            if username in present:
                device = devices[username]
                secret = b32encode(device.bin_key).decode().rstrip("=")
                self.stdout.write(f"  {username:<14} {role.label:<30} {first} {last}, {job}, {agency}")
                self.stdout.write(f"  {'':<14} secret {secret}  {device.config_url}")
        self.stdout.write("")

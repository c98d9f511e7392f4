from django.core.management.base import BaseCommand

from earlyhelp.accounts.models import User
from earlyhelp.demo.borough import DEMO_PASSWORD, DEMO_USERS


class Command(BaseCommand):
    help = "Print the demo sign-ins, one per role."

    def handle(self, *args, **options):
        present = set(
            User.objects.filter(username__in=[row[0] for row in DEMO_USERS]).values_list("username", flat=True)
        )
        self.stdout.write("\nDemo sign-ins (local demo only), password for all: " + self.style.SUCCESS(DEMO_PASSWORD))
        for username, role, first, last, agency, _, job in DEMO_USERS:
            if username in present:
                self.stdout.write(f"  {username:<14} {role.label:<30} {first} {last}, {job}, {agency}")
        self.stdout.write("")

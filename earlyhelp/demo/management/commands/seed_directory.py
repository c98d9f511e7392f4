"""Publish the demo borough's directory (also run by seed_demo)."""

from django.core.management.base import BaseCommand, CommandError

from earlyhelp.demo.directory import build_directory


class Command(BaseCommand):
    help = "Publish a realistic directory for the demo borough. Safe to repeat; a larger --services tops it up."

    def add_arguments(self, parser):
        parser.add_argument("--services", type=int, default=120, help="How many services (default 120).")
        parser.add_argument(
            "--seed", type=int, default=2014, help="Random seed; the same seed builds the same directory."
        )

    def handle(self, *args, services: int, seed: int, **options):
        if services < 0:
            raise CommandError("--services must be zero or more")
        size = build_directory(seed=seed, services=services)
        self.stdout.write(
            self.style.SUCCESS(
                f"Directory: {size.services:,} services from {size.organizations} organisations, "
                f"{size.published:,} published."
            )
        )

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from earlyhelp.accounts.models import Agency, Team
from earlyhelp.partners.services import partner_client_create


class Command(BaseCommand):
    help = "Register a partner system and print its token once."

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True)
        parser.add_argument("--agency", required=True, help="the agency's name")
        parser.add_argument("--team", default="", help="a team of that agency whose cases the system sees")
        parser.add_argument("--scopes", required=True, help="comma-separated, e.g. people:read,known-check")
        parser.add_argument("--rate", default="120/minute")

    def handle(self, *args, name, agency, team, scopes, rate, **options):
        found = Agency.objects.filter(name=agency).first()
        if found is None:
            raise CommandError("No agency with that name")
        team_found = Team.objects.filter(agency=found, name=team).first() if team else None
        if team and team_found is None:
            raise CommandError("No team with that name in the agency")
        try:
            client, token = partner_client_create(
                actor=None,
                name=name,
                agency=found,
                team=team_found,
                scopes=[scope.strip() for scope in scopes.split(",") if scope.strip()],
                rate=rate,
            )
        except ValidationError as error:
            raise CommandError("; ".join(f"{k}: {' '.join(v)}" for k, v in error.message_dict.items())) from error
        self.stdout.write(f"Partner system {client.name} registered. Its token, shown only now:\n{token}")

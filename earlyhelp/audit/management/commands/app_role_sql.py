from django.core.management.base import BaseCommand, CommandError

from earlyhelp.audit.database_roles import application_role_sql


class Command(BaseCommand):
    help = "Print the SQL that gives a PostgreSQL role the application's privileges (audit: INSERT and SELECT only)."

    def add_arguments(self, parser):
        parser.add_argument("role", help="the role the application connects as, e.g. earlyhelp_app")

    def handle(self, *args, role: str, **options):
        try:
            statements = application_role_sql(role)
        except ValueError as error:
            raise CommandError(str(error)) from error
        for statement in statements:
            self.stdout.write(statement + ";")

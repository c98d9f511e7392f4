from django.core.management.base import BaseCommand, CommandError

from earlyhelp.audit.chain import seal, verify


class Command(BaseCommand):
    help = (
        "Seal the audit events written since the last seal, then walk the hash chain; exit non-zero naming "
        "the first altered, removed or reordered event."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-seal",
            action="store_true",
            help="Walk the chain as it stands, without sealing the events still waiting (a read-only check).",
        )

    def handle(self, *args, **options):
        if not options["no_seal"]:
            sealed = seal()
            if sealed:
                self.stdout.write(f"Sealed {sealed} events into the chain.")
        report = verify()
        if not report.intact:
            raise CommandError(f"{report.problem} ({report.checked} events before it are intact.)")
        # The head hash, noted somewhere the database's administrators cannot write, also
        # shows later that no events were cut from the end.
        self.stdout.write(f"Audit chain intact: {report.checked} events, head {report.head}.")
        if report.awaiting_seal:
            waiting = report.awaiting_seal
            self.stdout.write(f"{waiting} events are not yet sealed, so the chain does not vouch for them.")

"""Match the partner records that wait to be matched to the register, as an upload's last stage does."""

from django.core.management.base import BaseCommand, CommandError

from earlyhelp.datahub.linkage import configured_bands, partner_records_link
from earlyhelp.datahub.services import flags_raise
from earlyhelp.imports.progress import TextProgress


class Command(BaseCommand):
    help = (
        "Match every partner record not yet matched to a person on the register with the matching model: "
        "linked, sent to clerical review, or known to partners only, by the configured bands."
    )

    def handle(self, *args, **options):
        bands = configured_bands()
        self.stdout.write(f"Linking at {bands.auto_link} and above; clerical review from {bands.review}")
        outcome = partner_records_link(progress=TextProgress(self.stdout))
        if outcome.stopped:
            raise CommandError(outcome.stopped)
        self.stdout.write(
            f"{outcome.matched:,} records matched: {outcome.linked:,} linked, "
            f"{outcome.in_review:,} for clerical review, {outcome.partners_only:,} known to partners only"
        )
        raised = flags_raise()
        self.stdout.write(f"{raised.raised:,} flags raised on {raised.people:,} people")

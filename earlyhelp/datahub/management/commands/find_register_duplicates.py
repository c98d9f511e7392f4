"""Search the register for duplicates of itself, as the data hub's "Find duplicates now" button does, here
and now, printing each stage (run it on a schedule, say weekly)."""

from django.core.management.base import BaseCommand, CommandError

from earlyhelp.datahub.duplicates import duplicate_search_run
from earlyhelp.datahub.linkage import configured_bands
from earlyhelp.datahub.models import DuplicateSearch


class Command(BaseCommand):
    help = (
        "Compare every person on the register (but merged duplicates) with every other with the matching model, "
        "and keep each likely pair (the clerical review band or above) for the Early Help Team to review."
    )

    def handle(self, *args, **options):
        bands = configured_bands()
        self.stdout.write(f"Proposing pairs from a match probability of {bands.review}")
        outcome = duplicate_search_run(DuplicateSearch.objects.create(), report=self.stdout.write)
        if outcome.stopped:
            raise CommandError(outcome.stopped)
        self.stdout.write(
            f"{outcome.compared:,} people compared: {outcome.proposed:,} pairs newly proposed, "
            f"{outcome.merged:,} marked merged, {outcome.withdrawn:,} no longer found; "
            f"{outcome.waiting:,} pairs waiting for review"
        )

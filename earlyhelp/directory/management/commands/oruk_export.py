"""Write the published directory as one Open Referral UK 3.0 JSON document."""

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand
from django.db import transaction

from earlyhelp.audit.models import Action
from earlyhelp.audit.services import audit_record
from earlyhelp.directory.oruk import directory_document


class Command(BaseCommand):
    help = "Export the published directory as ORUK 3.0 JSON: its taxonomies and every service fully nested."

    def add_arguments(self, parser):
        parser.add_argument("--output", "-o", help="File to write (default: standard output).")

    def handle(self, *args, output: str | None, **options):
        with transaction.atomic():
            document = directory_document()
            audit_record(
                actor=None,
                action=Action.EXPORT,
                object_type="directory_export",
                details={"services": len(document["services"])},
            )
        text = json.dumps(document, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
        if output:
            Path(output).write_text(text, encoding="utf-8")
            self.stderr.write(self.style.SUCCESS(f"Exported {len(document['services']):,} services to {output}"))
        else:
            sys.stdout.write(text)

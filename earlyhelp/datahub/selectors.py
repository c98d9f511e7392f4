"""Reads of the data hub shared by its pages and its command."""

import csv
import io
import itertools

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from .models import Dataset, DatasetUpload, PartnerRecord


def dataset_register() -> QuerySet[Dataset]:
    """Every dataset with its source, how many records it holds and when a file last arrived."""
    # Subqueries, not joins: joining records and uploads together would count every pair of them.
    records = (
        PartnerRecord.objects.filter(dataset=OuterRef("pk"))
        .order_by()
        .values("dataset")
        .annotate(count=Count("pk"))
        .values("count")
    )
    latest = DatasetUpload.objects.filter(dataset=OuterRef("pk")).order_by("-uploaded_at").values("uploaded_at")[:1]
    return (
        Dataset.objects.select_related("source_agency")
        .annotate(
            record_count=Coalesce(Subquery(records, output_field=IntegerField()), 0),
            last_received=Subquery(latest),
        )
        .order_by("name")
    )


def dataset_find(name_or_id: str) -> Dataset | None:
    """A dataset by its id or its name (any case)."""
    if name_or_id.isdigit():
        found = Dataset.objects.filter(pk=int(name_or_id)).first()
        if found is not None:
            return found
    return Dataset.objects.filter(name__iexact=name_or_id.strip()).first()


def dataset_uploads_recent(dataset: Dataset, *, limit: int = 10) -> QuerySet[DatasetUpload]:
    return dataset.uploads.select_related("uploaded_by").defer("content", "report_csv")[:limit]


def upload_status(upload_id: int) -> DatasetUpload | None:
    """An upload with its progress and outcome, without the file's content."""
    return DatasetUpload.objects.select_related("dataset").defer("content").filter(pk=upload_id).first()


# Enough of a refused file's problems to start fixing it; the downloadable report has them all.
PROBLEMS_SHOWN = 50


def report_problems(upload: DatasetUpload, *, limit: int = PROBLEMS_SHOWN) -> list[dict[str, str]]:
    """The first problems of an upload's report, as its page shows them."""
    if not upload.report_csv:
        return []
    rows = csv.DictReader(io.StringIO(upload.report_csv))
    return list(itertools.islice(rows, limit))

"""The data hub's background jobs, run by the django-tasks worker: loading a large partner file, expiring
records, searching the register for duplicates of itself."""

from django_tasks import task

from .duplicates import duplicate_search_run
from .models import DatasetUpload, DuplicateSearch
from .services import dataset_upload_fail, dataset_upload_load, partner_records_expire


@task()
def load_dataset_upload(upload_id: int) -> dict:
    """Check and load one received file; a fault marks the upload failed (its rows were rolled back)."""
    upload = DatasetUpload.objects.select_related("dataset", "uploaded_by").get(pk=upload_id)
    try:
        loaded = dataset_upload_load(upload=upload)
    except Exception:
        dataset_upload_fail(upload_id=upload_id)
        raise
    return {"upload": loaded.pk, "status": loaded.status, "stored": loaded.stored_count}


@task()
def expire_partner_records() -> dict:
    """Apply each dataset's retention period to its partner records (run daily by the scheduler)."""
    return partner_records_expire()


@task()
def find_register_duplicates(search_id: int | None = None) -> dict:
    """Search the register for duplicates of itself: the search queued from the page, or a new one (run
    on a schedule)."""
    search = (
        DuplicateSearch.objects.select_related("requested_by").get(pk=search_id)
        if search_id is not None
        else DuplicateSearch.objects.create()
    )
    outcome = duplicate_search_run(search)
    return {"search": search.pk, "proposed": outcome.proposed, "waiting": outcome.waiting, "stopped": outcome.stopped}

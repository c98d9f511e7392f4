"""The data hub's background job: loading a large partner file, run by the django-tasks worker."""

from django_tasks import task

from .models import DatasetUpload
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

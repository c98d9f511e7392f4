"""Scheduled data protection jobs, run by the django-tasks worker."""

from dataclasses import asdict

from django_tasks import task

from .services import retention_apply


@task()
def apply_retention(dry_run: bool = False) -> dict:
    """Apply the retention policy; the result is the report of record ids removed or redacted."""
    return asdict(retention_apply(dry_run=dry_run))

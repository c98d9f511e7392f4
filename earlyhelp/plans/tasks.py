"""The plans' daily job, run by the django-tasks worker."""

from django_tasks import task

from .services import actions_overdue_notify


@task()
def notify_overdue_actions() -> dict:
    """Tell each practitioner, once, of their plan actions that are past due."""
    return {"told": actions_overdue_notify()}

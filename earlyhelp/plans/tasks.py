"""The plans' daily job, run by the django-tasks worker."""

from django_tasks import task

from .services import actions_overdue_notify, reviews_due_notify


@task()
def notify_overdue_actions() -> dict:
    """Tell each practitioner, once, of their plan actions that are past due."""
    return {"told": actions_overdue_notify()}


@task()
def notify_reviews_due() -> dict:
    """Tell each lead professional, once for each review date, of a plan review coming up or past."""
    return {"told": reviews_due_notify()}

"""The notifications' background jobs, run by the django-tasks worker."""

from django_tasks import task

from .services import digest_send, outbox_send


@task()
def send_outbox() -> dict:
    """Send the emails due in the outbox; one that fails is retried later, with backoff."""
    return outbox_send()


@task()
def send_digests() -> dict:
    """Queue each user's daily summary email (run daily by the scheduler), then send the outbox."""
    result = digest_send()
    return result | outbox_send()

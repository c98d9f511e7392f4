"""A document's row and its stored file go together: when the row is deleted (by the retention
policy, with its family, or on its own), the file is deleted once the deletion is committed."""

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from .models import Document


@receiver(post_delete, sender=Document)
def _delete_stored_file(sender, instance: Document, **kwargs) -> None:
    storage, name = instance.file.storage, instance.file.name
    if name:
        transaction.on_commit(lambda: storage.delete(name))

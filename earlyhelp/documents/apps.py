from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "earlyhelp.documents"
    label = "documents"
    verbose_name = "Documents on the record"

    def ready(self) -> None:
        from . import signals  # noqa: F401 - a removed document takes its stored file with it

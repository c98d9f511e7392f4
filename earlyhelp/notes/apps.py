from django.apps import AppConfig


class NotesConfig(AppConfig):
    name = "earlyhelp.notes"
    label = "notes"
    verbose_name = "Case notes"

"""The layouts the data hub knows: those shipped in `layouts/`, and a council's own in the folders
that the setting DATAHUB_LAYOUT_DIRS names. Each is one JSON layout document (docs/imports.md), so a
council adds a kind of file by adding a document and naming its folder, without code."""

from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from earlyhelp.imports.layouts import Layout, LayoutError, layout_from_json

from . import messages

SHIPPED = Path(__file__).resolve().parent / "layouts"


def layout_folders() -> list[Path]:
    return [SHIPPED, *(Path(folder) for folder in settings.DATAHUB_LAYOUT_DIRS)]


def layout_catalogue() -> dict[str, Layout]:
    """Every known layout by name; a missing folder, a broken document or a name used twice is a
    configuration mistake, named in full."""
    layouts: dict[str, Layout] = {}
    found_in: dict[str, Path] = {}
    for folder in layout_folders():
        if not folder.is_dir():
            raise ImproperlyConfigured(messages.LAYOUT_FOLDER_MISSING.format(folder=folder))
        for path in sorted(folder.glob("*.json")):
            try:
                layout = layout_from_json(path.read_bytes())
            except LayoutError as error:
                problems = "; ".join(error.problems)
                raise ImproperlyConfigured(
                    messages.LAYOUT_DOCUMENT_INVALID.format(path=path, problems=problems)
                ) from error
            if layout.name in layouts:
                paths = f"{found_in[layout.name]} and {path}"
                raise ImproperlyConfigured(messages.LAYOUT_NAME_TWICE.format(name=layout.name, paths=paths))
            layouts[layout.name] = layout
            found_in[layout.name] = path
    return layouts


def layout_named(name: str) -> Layout:
    """The layout of this name; KeyError if the catalogue has none."""
    return layout_catalogue()[name]

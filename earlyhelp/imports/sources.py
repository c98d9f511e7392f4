"""Rows that carry the sending system's own id: which are new, and which a previous import already holds."""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from .validation import Row


@dataclass(frozen=True)
class SourceSplit:
    new: list[Row]
    present: list[Row]


def split_by_source_id(
    rows: Sequence[Row], *, column: str, present_ids: Callable[[set[Any]], Iterable[Any]]
) -> SourceSplit:
    """Split rows by whether `present_ids` (asked once, with every id) says their source id is already stored."""
    ids = {row.values[column] for row in rows}
    present = set(present_ids(ids)) & ids
    return SourceSplit(
        new=[row for row in rows if row.values[column] not in present],
        present=[row for row in rows if row.values[column] in present],
    )

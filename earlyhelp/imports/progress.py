"""Progress of long imports: one callback shape that a background task and a command line both take.

A task stores the numbers where its page can poll them; a management command prints
`progress_line` with `TextProgress`. The importer reports while it checks rows, and a caller's
store reports while it writes, through `batches`.
"""

from collections.abc import Iterator, Sequence
from typing import Any, Protocol, TypeVar

CHECKING = "checking"
STORING = "storing"
# Often enough for a person watching, rarely enough that reporting costs nothing beside the work.
EVERY = 500

Item = TypeVar("Item")


class Progress(Protocol):
    def __call__(self, *, stage: str, done: int, total: int) -> None: ...


def report_every(progress: Progress | None, *, stage: str, done: int, total: int) -> None:
    """Tell `progress` at every EVERY-th item and at the last."""
    if progress is not None and (done % EVERY == 0 or done == total):
        progress(stage=stage, done=done, total=total)


def batches(items: Sequence[Item], *, size: int, progress: Progress | None = None) -> Iterator[Sequence[Item]]:
    """The items in slices of `size`, reporting the storing stage's progress after each slice is handed over."""
    total = len(items)
    if progress is not None:
        progress(stage=STORING, done=0, total=total)
    for start in range(0, total, size):
        yield items[start : start + size]
        if progress is not None:
            progress(stage=STORING, done=min(start + size, total), total=total)


def progress_line(*, stage: str, done: int, total: int, width: int = 30) -> str:
    """One line: the stage, a bar, the counts and the share done ("checking [#####.....] 5 of 10 rows (50%)")."""
    share = done / total if total else 1.0
    filled = round(share * width)
    return f"{stage:<8} [{'#' * filled}{'.' * (width - filled)}] {done:,} of {total:,} rows ({share:.0%})"


class TextProgress:
    """Prints progress lines to a stream (a command's stdout), redrawing one line and ending it at 100%."""

    def __init__(self, stream: Any, *, width: int = 30) -> None:
        self.stream = stream
        self.width = width

    def __call__(self, *, stage: str, done: int, total: int) -> None:
        line = progress_line(stage=stage, done=done, total=total, width=self.width)
        text = f"\r{line}" + ("\n" if done >= total else "")
        if hasattr(self.stream, "ending"):
            # A command's OutputWrapper ends every write with a newline unless told otherwise, which
            # would print a new line per update instead of redrawing one.
            self.stream.write(text, ending="")
        else:
            self.stream.write(text)
        self.stream.flush()

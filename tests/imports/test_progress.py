"""Progress: the importer reports rows checked, a store reports rows stored, and a command prints one line."""

import io

import pytest
from django.core.management.base import OutputWrapper

from earlyhelp.imports import progress as progress_module
from earlyhelp.imports.progress import CHECKING, STORING, TextProgress, batches, progress_line
from earlyhelp.imports.services import load
from earlyhelp.imports.validation import validate
from tests.factories import UserFactory

from .support import attendance_layout, csv_upload, good_rows


class Recorder:
    def __init__(self):
        self.calls = []

    def __call__(self, *, stage, done, total):
        self.calls.append((stage, done, total))


def test_checking_reports_every_so_many_rows_and_at_the_last(monkeypatch):
    monkeypatch.setattr(progress_module, "EVERY", 2)
    recorder = Recorder()

    validate(attendance_layout(), csv_upload(good_rows(5)), progress=recorder)

    assert recorder.calls == [(CHECKING, 2, 5), (CHECKING, 4, 5), (CHECKING, 5, 5)]


@pytest.mark.django_db
def test_a_store_reports_its_own_progress_through_batches():
    recorder = Recorder()
    stored = []

    def store(rows):
        for batch in batches(rows, size=2, progress=recorder):
            stored.extend(batch)

    load(
        actor=UserFactory(), layout=attendance_layout(), source=csv_upload(good_rows(5)), store=store, progress=recorder
    )

    assert len(stored) == 5
    assert [call for call in recorder.calls if call[0] == STORING] == [
        (STORING, 0, 5),
        (STORING, 2, 5),
        (STORING, 4, 5),
        (STORING, 5, 5),
    ]
    assert recorder.calls[0] == (CHECKING, 5, 5)


def test_a_progress_line_shows_the_stage_bar_counts_and_share():
    assert progress_line(stage=CHECKING, done=1_250, total=5_000, width=8) == (
        "checking [##......] 1,250 of 5,000 rows (25%)"
    )
    assert progress_line(stage=STORING, done=0, total=0, width=4) == "storing  [####] 0 of 0 rows (100%)"


def test_a_command_s_output_redraws_one_line_and_ends_it_when_done():
    out = io.StringIO()
    show = TextProgress(OutputWrapper(out), width=4)

    show(stage=CHECKING, done=1, total=2)
    show(stage=CHECKING, done=2, total=2)

    assert out.getvalue() == "\rchecking [##..] 1 of 2 rows (50%)\rchecking [####] 2 of 2 rows (100%)\n"


def test_a_plain_stream_gets_the_same_lines():
    out = io.StringIO()

    TextProgress(out, width=4)(stage=STORING, done=2, total=2)

    assert out.getvalue() == "\rstoring  [####] 2 of 2 rows (100%)\n"

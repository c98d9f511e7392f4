"""The ORUK importer, given malformed feeds, answers with a clear rejection and changes nothing;
valid services beside rejected ones load unless the import is all or nothing."""

import io
import json
import tempfile
import uuid
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from earlyhelp.directory.importer import NOT_A_DIRECTORY, ImportRefusedError, directory_import
from earlyhelp.directory.models import Service
from tests.directory.test_import import feed_service

pytestmark = pytest.mark.django_db

BOUNDED = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

scalar = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=20))
junk = st.recursive(
    scalar,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=8,
)
not_an_object = st.one_of(scalar, st.lists(junk, max_size=3))
not_a_string = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.lists(scalar, max_size=2),
    st.dictionaries(st.text(max_size=3), scalar, max_size=2),
)
bad_uuid = st.text(max_size=40).filter(lambda text: not _is_uuid(text))
huge = st.integers(min_value=260, max_value=20_000).map(lambda n: "x" * n)


def _is_uuid(text: str) -> bool:
    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return True


def _directory_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in apps.get_app_config("directory").get_models()}


def _set(path: tuple, value):
    """A change to a valid service: the value at `path` (keys and list indexes) replaced."""

    def apply(service: dict) -> dict:
        node = service
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value
        return service

    return apply


def _drop(key: str):
    def apply(service: dict) -> dict:
        del service[key]
        return service

    return apply


malformation = st.one_of(
    st.sampled_from(["id", "name", "status"]).map(_drop),
    not_a_string.map(lambda value: _set(("name",), value)),
    not_a_string.map(lambda value: _set(("id",), value)),
    bad_uuid.map(lambda value: _set(("id",), value)),
    bad_uuid.map(lambda value: _set(("organization", "id"), value)),
    bad_uuid.map(lambda value: _set(("schedules", 0, "id"), value)),
    st.text(max_size=10)
    .filter(lambda text: not text.strip().lstrip("-").isdigit())
    .map(lambda value: _set(("minimum_age",), value)),
    huge.map(lambda value: _set(("name",), value)),
    huge.map(lambda value: _set(("organization", "name"), value)),
    huge.map(lambda value: _set(("contacts", 0, "phones", 0, "number"), value)),
    not_an_object.map(lambda value: _set(("organization",), value)),
    st.lists(not_an_object, min_size=1, max_size=3).map(lambda value: _set(("schedules",), value)),
    st.lists(not_an_object, min_size=1, max_size=3).map(lambda value: _set(("contacts",), value)),
    st.one_of(scalar, st.dictionaries(st.text(max_size=3), junk, max_size=2)).map(
        lambda value: _set(("attributes",), value)
    ),
    st.dictionaries(st.text(max_size=5), junk, max_size=4).map(lambda value: lambda service: value),
    not_an_object.map(lambda value: lambda service: value),
)


def _malformed(change) -> object:
    return change(feed_service())


@BOUNDED
@given(change=malformation)
def test_a_malformed_service_is_rejected_with_reasons_and_no_directory_table_changes(change):
    before = _directory_counts()
    report = directory_import(document=[_malformed(change)])
    assert report.created == report.updated == 0
    assert len(report.rejected) == 1
    assert report.rejected[0].reasons and all(reason.strip() for reason in report.rejected[0].reasons)
    assert "Rejected 1 services:" in report.lines()
    assert _directory_counts() == before


@BOUNDED
@given(
    document=st.one_of(
        scalar,
        st.dictionaries(
            st.text(max_size=8).filter(lambda key: key not in {"id", "name", "services", "contents"}), junk, max_size=4
        ),
    )
)
def test_a_document_that_is_not_a_directory_is_refused_and_changes_nothing(document):
    before = _directory_counts()
    with pytest.raises(ImportRefusedError, match="not an ORUK directory") as refusal:
        directory_import(document=document)
    assert str(refusal.value) == NOT_A_DIRECTORY
    assert _directory_counts() == before


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cut=st.floats(min_value=0, max_value=0.999))
def test_a_truncated_file_is_refused_as_unreadable_and_changes_nothing(cut):
    text = json.dumps({"services": [feed_service()]})
    before = _directory_counts()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "feed.json"
        path.write_text(text[: int(len(text) * cut)], encoding="utf-8")
        with pytest.raises(CommandError, match="Could not read the directory"):
            call_command("oruk_import", str(path), stdout=io.StringIO())
    assert _directory_counts() == before


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    # Each feed has at least one valid service (None) and one malformed one, in any order.
    kinds=st.tuples(st.integers(min_value=1, max_value=2), st.lists(malformation, min_size=1, max_size=3)).flatmap(
        lambda counts: st.permutations([None] * counts[0] + counts[1])
    ),
    all_or_nothing=st.booleans(),
)
def test_valid_services_beside_rejected_ones_load_only_when_the_import_is_not_all_or_nothing(kinds, all_or_nothing):
    services = [feed_service() if kind is None else _malformed(kind) for kind in kinds]
    valid_ids = [service["id"] for service, kind in zip(services, kinds, strict=True) if kind is None]
    rejected_positions = [position for position, kind in enumerate(kinds, start=1) if kind is not None]
    before = _directory_counts()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "feed.json"
        path.write_text(json.dumps({"services": services}), encoding="utf-8")
        arguments = [str(path), "--all-or-nothing"] if all_or_nothing else [str(path)]
        stdout = io.StringIO()
        with pytest.raises(CommandError, match=f"{len(rejected_positions)} services were rejected"):
            call_command("oruk_import", *arguments, stdout=stdout)
    printed = stdout.getvalue()
    for position in rejected_positions:
        assert f"  #{position} " in printed
    if all_or_nothing:
        assert printed.startswith("Nothing was loaded")
        assert _directory_counts() == before
    else:
        assert Service.objects.filter(id__in=valid_ids).count() == len(valid_ids)
        assert Service.objects.count() == before["Service"] + len(valid_ids)

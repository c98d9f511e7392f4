"""Uploads are limited by size and by a type their content confirms."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import given
from hypothesis import strategies as st

from earlyhelp.security.uploads import UPLOAD_EMPTY, UPLOAD_TOO_LARGE, UPLOAD_WRONG_TYPE, UploadValidator

PDF = b"%PDF-1.7\n" + b"0" * 100


def test_a_pdf_within_the_limit_is_accepted():
    UploadValidator({"pdf"})(SimpleUploadedFile("plan.pdf", PDF))


def test_a_file_over_the_limit_is_refused_naming_the_limit():
    with pytest.raises(ValidationError) as refused:
        UploadValidator({"pdf"}, max_bytes=1024 * 1024)(SimpleUploadedFile("plan.pdf", PDF + b"0" * 1024 * 1024))
    assert refused.value.messages == [UPLOAD_TOO_LARGE.format(limit="1MB")]


def test_the_project_limit_applies_when_none_is_given(settings):
    settings.EARLY_HELP_UPLOAD_MAX_BYTES = 50
    with pytest.raises(ValidationError, match="smaller than"):
        UploadValidator({"pdf"})(SimpleUploadedFile("plan.pdf", PDF))


def test_an_empty_file_is_refused():
    with pytest.raises(ValidationError) as refused:
        UploadValidator({"pdf"})(SimpleUploadedFile("plan.pdf", b""))
    assert refused.value.messages == [UPLOAD_EMPTY]


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("plan.exe", b"MZ\x90\x00"),
        ("plan.pdf", b"MZ\x90\x00 renamed executable"),
        ("plan", PDF),
        ("list.csv", b"name\x00\xff\xfe"),
    ],
)
def test_a_file_whose_name_or_content_is_not_an_allowed_type_is_refused(name, content):
    with pytest.raises(ValidationError) as refused:
        UploadValidator({"pdf", "csv"})(SimpleUploadedFile(name, content))
    assert refused.value.messages == [UPLOAD_WRONG_TYPE.format(allowed="CSV, PDF")]


def test_the_upload_size_settings_bound_what_django_holds_in_memory(settings):
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE <= 2_621_440
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE <= 2_621_440


@given(st.binary(min_size=1, max_size=512))
def test_arbitrary_bytes_named_pdf_are_accepted_only_with_the_pdf_signature(content):
    validator = UploadValidator({"pdf"})
    upload = SimpleUploadedFile("file.pdf", content)
    if content.startswith(b"%PDF-"):
        validator(upload)
    else:
        with pytest.raises(ValidationError):
            validator(upload)

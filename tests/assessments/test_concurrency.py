"""Two people saving one assessment at the same moment, on two real database connections."""

import threading
import time

import pytest
from django.db import connection, transaction

from earlyhelp.assessments import services
from earlyhelp.assessments.models import AssessmentVersion
from tests.factories import UserFactory

from .factories import DraftVersionFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _in_thread(target, results: dict, name: str) -> threading.Thread:
    def run():
        try:
            results[name] = target()
        except Exception as error:  # noqa: BLE001 - the test inspects whatever each session got
            results[name] = error
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def test_the_second_of_two_concurrent_saves_is_refused_and_nothing_is_lost():
    version = DraftVersionFactory()
    opened_at = version.revision  # both people opened the form at this revision
    alice, bob = UserFactory(first_name="Alice"), UserFactory(first_name="Bob")
    alice_saving = threading.Event()
    bob_saving = threading.Event()
    results: dict[str, object] = {}

    def alice_saves():
        with transaction.atomic():
            saved = services.assessment_update(
                actor=alice,
                version=AssessmentVersion.objects.get(pk=version.pk),
                revision=opened_at,
                content=services.VersionContent(working_well="Alice: grandmother helps daily"),
                sections={},
            )
            alice_saving.set()
            # Hold the transaction open while Bob's save is under way on his own connection.
            assert bob_saving.wait(5)
            time.sleep(0.5)
        return saved

    def bob_saves():
        assert alice_saving.wait(5)
        bob_saving.set()
        return services.assessment_update(
            actor=bob,
            version=AssessmentVersion.objects.get(pk=version.pk),
            revision=opened_at,
            content=services.VersionContent(working_well="Bob: school reports better attendance"),
            sections={},
        )

    threads = [_in_thread(alice_saves, results, "alice"), _in_thread(bob_saves, results, "bob")]
    for thread in threads:
        thread.join(15)

    assert isinstance(results["alice"], AssessmentVersion)
    refused = results["bob"]
    assert isinstance(refused, services.AssessmentConflictError), refused
    assert refused.messages == [services.EDIT_CONFLICT]
    # What Bob is shown to merge with is Alice's saved work.
    assert refused.current.working_well == "Alice: grandmother helps daily"
    assert refused.current.last_saved_by == alice
    saved = AssessmentVersion.objects.get(pk=version.pk)
    assert saved.working_well == "Alice: grandmother helps daily"
    assert saved.revision == opened_at + 1

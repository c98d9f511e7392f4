"""The suite leans on `--dist loadgroup` (scripts/test.sh): tests marked `xdist_group` run on one worker, so a
class's or module's costly fixture is built once, and the tests that create objects the whole PostgreSQL server
shares (tests/conftest.py, SERVER_WIDE_FIXTURES) never run at once on two workers. xdist marks a grouped test by
adding its group to the test's id; a pytest whose ids it cannot change drops the groups without a word."""

import pytest


@pytest.mark.xdist_group("the_group_check")
def test_a_grouped_test_carries_its_group_under_loadgroup(request):
    if not getattr(request.config.option, "loadgroup", False):
        pytest.skip("only under pytest-xdist's --dist loadgroup, as make test runs the suite")

    assert request.node.nodeid.endswith("@the_group_check"), "xdist ignored the xdist_group marks"

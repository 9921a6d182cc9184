"""The big organisation of `make bench-data` (bench/bigorg.py): its sizes, and a 1 % build.

The full build takes minutes on PostgreSQL, so the tests build it at 1 % scale in the test
database and check that every count comes out as the sizes say; and that the full sizes are the
ones issue 14 measured (so nobody shrinks the benchmark by accident).
"""

from datetime import date

import pytest

from bench.bigorg import DOMAIN, Sizes, build, counts
from tpm.models import Membership

TODAY = date(2027, 3, 10)  # a Wednesday: the builder places everything around "today"


def test_the_full_sizes_are_the_issues():
    sizes = Sizes.at(1.0)

    assert sizes.projects == 200
    assert sizes.plan.tasks == 5_010
    assert sizes.plan.link_count() == 12_081
    assert sizes.entries == 50_000
    assert sizes.cards == 3_000
    assert sizes.people == 300
    assert sizes.assignment_count() == 24_500
    assert sizes.my_tasks == 545


def test_the_sizes_shrink_with_the_scale():
    small, full = Sizes.at(0.05), Sizes.at(1.0)

    assert small.plan.tasks < full.plan.tasks
    assert small.plan.link_count() < full.plan.link_count()
    assert small.projects < full.projects
    assert small.assignment_count() < full.assignment_count()


@pytest.mark.django_db
def test_a_small_build_has_the_counts_its_sizes_say():
    sizes = Sizes.at(0.01)

    big = build(sizes, today=TODAY)

    found = counts(big.organisation)
    assert found["projects"] == sizes.projects
    assert found["plan tasks"] == sizes.plan.tasks
    assert found["plan links"] == sizes.plan.link_count()
    assert found["plan entries"] == sizes.entries
    assert found["board cards"] == sizes.cards
    assert found["member's open"] == sizes.my_tasks
    assert found["people"] == sizes.people
    assert found["assignments"] == sizes.assignment_count()
    # the plan is scheduled, and everyone the benchmark signs in as belongs to the organisation
    assert not big.plan.tasks.filter(start__isnull=True).exists()
    emails = set(
        Membership.objects.filter(organisation=big.organisation).values_list(
            "user__email", flat=True
        )
    )
    assert {f"{name}@{DOMAIN}" for name in ("admin", "tpm", "member", "viewer")} <= emails

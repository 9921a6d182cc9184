"""The draft page's submit is one service, `report_save_draft`, that owns its transaction; the
pages and the API of reports and tpm open none themselves."""

import re
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from reports import services
from reports.models import StatusReport

ROOT = Path(__file__).resolve().parents[2]


def test_a_refused_publish_undoes_the_save_before_it(world):
    # given a draft
    draft = services.report_create(project=world.project, actor=world.manager)
    # when the manager saves a new title and publishes without a summary
    with pytest.raises(ValidationError) as error:
        services.report_save_draft(
            report=draft,
            actor=world.manager,
            changes={"title": "Week 3", "summary": ""},
            version=draft.version,
            then="publish",
        )
    # then it is refused naming the summary, and nothing was saved: the version still holds
    assert "summary" in error.value.message_dict
    stored = StatusReport.objects.get(pk=draft.pk)
    assert (stored.title, stored.version, stored.is_published) == (
        draft.title,
        draft.version,
        False,
    )


def test_saving_then_publishing_in_one_go(world):
    draft = services.report_create(project=world.project, actor=world.manager)
    published = services.report_save_draft(
        report=draft,
        actor=world.manager,
        changes={"summary": "Back on track."},
        version=draft.version,
        then="publish",
    )
    assert published.is_published and published.summary == "Back on track."
    assert published.version == draft.version + 2


def test_the_service_is_the_whole_transaction_and_cannot_be_wrapped(world):
    draft = services.report_create(project=world.project, actor=world.manager)
    with pytest.raises(RuntimeError, match="durable"), transaction.atomic():
        services.report_save_draft(
            report=draft, actor=world.manager, changes={"summary": "x"}, version=draft.version
        )


def test_an_unknown_step_is_a_programming_error(world):
    draft = services.report_create(project=world.project, actor=world.manager)
    with pytest.raises(ValueError):
        services.report_save_draft(
            report=draft, actor=world.manager, changes={}, version=draft.version, then="mail"
        )


@pytest.mark.parametrize("folder", ["reports/views", "reports/api", "tpm/views", "tpm/api"])
def test_pages_and_api_open_no_transaction_and_take_no_lock(folder):
    # Services own transactions and locks (docs/architecture.md); a view only calls them.
    pattern = re.compile(r"transaction\.|select_for_update|from django\.db import .*transaction")
    offenders = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in sorted((ROOT / folder).rglob("*.py"))
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if pattern.search(line)
    ]
    assert offenders == []

"""The demo register: about 20 risks with history, issues, decisions and assumptions."""

from io import StringIO

import pytest
from django.core.management import call_command

from risks.models import Assumption, Decision, Issue, Risk, RiskReview


@pytest.mark.django_db
def test_seed_demo_fills_the_register_and_raid_log():
    call_command("seed_demo", stdout=StringIO())
    assert Risk.objects.count() == 20
    assert RiskReview.objects.count() > 35  # each risk's first review plus the weekly ones
    assert Issue.objects.filter(risk__isnull=False).exists()  # a risk that occurred
    assert Decision.objects.count() >= 2 and Assumption.objects.count() >= 3
    pay = Risk.objects.filter(project__key="PAY")
    assert pay.filter(linked_tasks__is_milestone=True).exists()
    assert Risk.objects.filter(responses__isnull=False, project__key="MOB").exists()

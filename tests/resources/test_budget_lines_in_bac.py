"""Issue 22: the non-labour budget lines are part of BAC (resources/evm/lines.py, pure): planned
by their month plans, earned as they are paid, spent when paid."""

from datetime import date
from decimal import Decimal as D
from fractions import Fraction

from resources.evm.engine import DatedAmount, EvmInput, evaluate
from resources.evm.lines import PlannedLine, ProjectSpan, is_line_branch, line_branch, line_tasks


def _measure(lines, span):
    return evaluate(EvmInput(line_tasks(lines, span), span.status))


def test_a_line_is_planned_by_its_months_cut_at_its_amount_and_earned_as_paid():
    # given a 1,000 hardware line planning 400 in January and 700 in February (100 too many),
    # of which 250 was paid on 10 January
    line = PlannedLine(
        id=7,
        name="Servers",
        amount=D(1000),
        months=((date(2025, 1, 1), D(400)), (date(2025, 2, 1), D(700))),
        paid=(DatedAmount(date(2025, 1, 10), D(250)),),
    )
    # when it is measured on 14 February
    result = _measure([line], ProjectSpan(date(2025, 1, 1), date(2025, 3, 31), date(2025, 2, 14)))
    figures = result.branches[line_branch(7)]
    # then BAC is the line, PV January's 400 and half of February's 600 (cut at the line)
    assert figures.bac == 1000
    assert figures.pv == 400 + Fraction(600 * 14, 28)
    # and what was paid is both spent and earned (CPI 1)
    assert (figures.ev, figures.ac) == (250, 250)
    assert result.project == figures
    ev = {p.day: p.ev_cumulative for p in result.curve}
    assert ev[date(2025, 1, 5)] == 0 and ev[date(2025, 1, 12)] == 250


def test_what_the_months_leave_unplanned_spreads_over_the_project():
    line = PlannedLine(id=3, name="Travel", amount=D(900))
    span = ProjectSpan(date(2025, 1, 1), date(2025, 3, 31), date(2025, 1, 30))
    figures = _measure([line], span).project
    # 900 over the 90 days of January to March: 300 by the end of 30 January
    assert (figures.bac, figures.pv, figures.ev, figures.ac) == (900, 300, 0, 0)


def test_the_line_branches_are_told_apart_from_their_months_and_the_tasks():
    assert is_line_branch(line_branch(12))
    assert not is_line_branch(line_branch(12) - 1)
    assert not is_line_branch(-1) and not is_line_branch(42)

"""The week grid and the checks on typed hours (pure, no database)."""

from datetime import date
from decimal import Decimal

import pytest

from resources.timesheets import grid
from resources.timesheets.grid import CellInput, RowSpec, StoredEntry

MONDAY = date(2027, 3, 1)
TUESDAY = date(2027, 3, 2)
LABELS = {1: "WEB-1 Build", 2: "WEB-2 Test"}


@pytest.mark.parametrize(
    ("typed", "hours"),
    [("", "0"), ("2", "2"), ("1.5", "1.5"), ("1,5", "1.5"), ("1:30", "1.5"), (" 7h ", "7")],
)
def test_hours_are_read_the_way_people_type_them(typed, hours):
    assert grid.parse_hours(typed) == Decimal(hours)


@pytest.mark.parametrize(
    ("typed", "message"),
    [("two", "is not a number of hours"), ("1.255", "at most two decimals"), ("nan", "not a")],
)
def test_text_that_is_not_hours_is_refused_with_a_reason(typed, message):
    with pytest.raises(grid.HoursError, match=message):
        grid.parse_hours(typed)


def test_week_starts_on_monday():
    assert grid.week_start(date(2027, 3, 4)) == MONDAY
    assert grid.week_days(MONDAY)[-1] == date(2027, 3, 7)


def test_read_cells_reports_unreadable_hours_by_cell():
    # given a post with one good and one bad cell
    data = {"h-1-2027-03-01": "3", "n-1-2027-03-01": " design ", "h-1-2027-03-02": "lots"}
    # when read
    cells, problems = grid.read_cells(data, [1], grid.week_days(MONDAY))
    # then the good one is read with its note and the bad one is a problem on its field
    assert cells == [CellInput(1, MONDAY, Decimal(3), "design")]
    assert problems[0].key == "h-1-2027-03-02"
    assert "Tue 2 Mar" in problems[0].message


def test_negative_hours_are_refused():
    changes, problems = grid.check_week([CellInput(1, MONDAY, Decimal(-2))], [], task_labels=LABELS)
    assert changes == []
    assert problems[0].message == "WEB-1 Build, Mon 1 Mar: hours cannot be negative."


def test_a_day_over_24_hours_counts_time_on_other_tasks_and_projects():
    # given 20 hours already stored that Tuesday on a task of another project
    stored = [StoredEntry(task_id=9, day=TUESDAY, hours=Decimal(20), entry_id=5)]
    # when 5 more hours are typed on a task in the grid
    _, problems = grid.check_week([CellInput(1, TUESDAY, Decimal(5))], stored)
    # then the day is refused with the total
    assert [p.message for p in problems] == [
        "Tue 2 Mar: 25 hours in one day across all your tasks; a day has at most 24 hours."
    ]


def test_lowering_hours_on_a_full_day_is_fine():
    stored = [
        StoredEntry(1, TUESDAY, Decimal(20), entry_id=1),
        StoredEntry(2, TUESDAY, Decimal(4), entry_id=2),
    ]
    changes, problems = grid.check_week([CellInput(1, TUESDAY, Decimal(19))], stored)
    assert problems == []
    assert changes == [grid.CellChange(1, TUESDAY, Decimal(19), "", 1)]


def test_approved_and_submitted_time_is_locked():
    # given one approved and one submitted entry
    stored = [
        StoredEntry(1, MONDAY, Decimal(8), status=grid.APPROVED, entry_id=1),
        StoredEntry(2, MONDAY, Decimal(4), status=grid.SUBMITTED, entry_id=2),
    ]
    # when both are changed
    cells = [CellInput(1, MONDAY, Decimal(6)), CellInput(2, MONDAY, Decimal(1))]
    changes, problems = grid.check_week(cells, stored, task_labels=LABELS)
    # then both are refused, saying why and what to do
    assert changes == []
    assert "approved and locked; ask the project manager to reopen it" in problems[0].message
    assert "submitted for approval and locked" in problems[1].message


def test_unchanged_locked_cells_pass_and_empty_cells_delete():
    stored = [
        StoredEntry(1, MONDAY, Decimal(8), status=grid.APPROVED, entry_id=1),
        StoredEntry(2, MONDAY, Decimal(4), note="x", entry_id=2),
    ]
    cells = [CellInput(1, MONDAY, Decimal(8)), CellInput(2, MONDAY, Decimal(0))]
    changes, problems = grid.check_week(cells, stored)
    assert problems == []
    assert len(changes) == 1 and changes[0].deletes and changes[0].entry_id == 2


def test_grid_totals_and_what_can_be_submitted():
    # given two rows and three entries, one approved
    rows = [RowSpec(1, "WEB-1 Build", "WEB"), RowSpec(2, "WEB-2 Test", "WEB")]
    entries = [
        StoredEntry(1, MONDAY, Decimal("7.5"), status=grid.APPROVED),
        StoredEntry(1, TUESDAY, Decimal(2)),
        StoredEntry(2, TUESDAY, Decimal("1.25")),
    ]
    # when the grid is built
    week = grid.build_grid(MONDAY, rows, entries)
    # then rows, days and the week add up, and the approved cell is not editable
    assert [row.total for row in week.rows] == [Decimal("9.5"), Decimal("1.25")]
    assert week.day_totals[:2] == [Decimal("7.5"), Decimal("3.25")]
    assert week.total == Decimal("10.75")
    assert not week.rows[0].cells[0].editable
    assert week.rows[0].cells[1].text == "2"
    assert week.has_drafts


def test_a_refused_post_shows_what_was_typed():
    rows = [RowSpec(1, "WEB-1 Build", "WEB")]
    week = grid.build_grid(
        MONDAY, rows, [], typed={"h-1-2027-03-01": "lots", "n-1-2027-03-01": "x"}
    )
    assert week.rows[0].cells[0].text == "lots"
    assert week.rows[0].cells[0].note == "x"

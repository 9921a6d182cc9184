"""Permission-matrix entries for the calendar pages (see tests/permission_matrix.py).

Acme's organisation calendar "Office" (with a holiday) is made inside the test; its admins
manage it, everyone in the organisation reads it, another organisation's admin gets 404s. (A
project's own calendar, which its managers also manage, is covered in test_calendar_pages.py.)
The calendar list and the new-calendar page show the caller's own organisation, so the outsider
uses them on Globex.
"""

from datetime import date

from projects.models import CalendarException, WorkCalendar
from tests.permission_matrix import Case, expect


def _calendar(world, *, project: bool) -> WorkCalendar:
    name = "Night shift" if project else "Office"
    calendar, created = WorkCalendar.objects.get_or_create(
        organisation=world.organisation,
        project=world.project if project else None,
        name=name,
    )
    if created:
        CalendarException.objects.create(
            calendar=calendar, name="Holiday", first_day=date(2027, 1, 8), last_day=date(2027, 1, 8)
        )
    return calendar


def _office(world):
    return {"calendar_id": _calendar(world, project=False).pk}


def _office_holiday(world):
    return {"exception_id": _calendar(world, project=False).exceptions.get().pk}


def _week_data(name: str):
    def data(world):
        hours = "08:00-12:00, 13:00-17:00"
        return {
            "name": name,
            **dict.fromkeys(("monday", "tuesday", "wednesday", "thursday"), hours),
            "friday": "08:00-12:00",
            "version": 1,
        }

    return data


def _exception_data(world):
    return {"name": "Moving day", "first_day": "2027-02-01", "working": ""}


_ORG_READ = expect(200, anonymous=302, outsider=404)
_ORG_MANAGE = expect(403, anonymous=302, outsider=404, admin=302)

ROUTES = [
    Case("calendar-list", "get", expect(200, anonymous=302)),
    Case("calendar-create", "get", expect(403, anonymous=302, outsider=200, admin=200)),
    Case(
        "calendar-create",
        "post",
        expect(403, anonymous=302, outsider=302, admin=302),
        data=_week_data("Short Fridays"),
    ),
    Case("calendar-detail", "get", _ORG_READ, kwargs=_office),
    Case("calendar-detail", "post", _ORG_MANAGE, kwargs=_office, data=_week_data("Office")),
    Case("calendar-exception-add", "post", _ORG_MANAGE, kwargs=_office, data=_exception_data),
    Case(
        "calendar-exception-remove",
        "post",
        _ORG_MANAGE,
        kwargs=_office_holiday,
        data=lambda world: {},
    ),
]

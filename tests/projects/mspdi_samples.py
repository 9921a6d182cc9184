"""Small MSPDI documents built in the tests (no shared files needed)."""

NS = "http://schemas.microsoft.com/project"

STANDARD_CALENDAR = """
  <Calendars>
    <Calendar>
      <UID>1</UID><Name>Standard</Name><IsBaseCalendar>1</IsBaseCalendar>
      <BaseCalendarUID>-1</BaseCalendarUID>
      <WeekDays>
        <WeekDay><DayType>1</DayType><DayWorking>0</DayWorking></WeekDay>
        {weekdays}
        <WeekDay><DayType>7</DayType><DayWorking>0</DayWorking></WeekDay>
      </WeekDays>
      <Exceptions>
        <Exception>
          <EnteredByOccurrences>0</EnteredByOccurrences>
          <TimePeriod><FromDate>2027-01-08T00:00:00</FromDate>
            <ToDate>2027-01-08T23:59:00</ToDate></TimePeriod>
          <Occurrences>1</Occurrences><Name>Founders day</Name><Type>1</Type>
          <DayWorking>0</DayWorking>
        </Exception>
      </Exceptions>
    </Calendar>
  </Calendars>"""
WEEKDAY = """<WeekDay><DayType>{n}</DayType><DayWorking>1</DayWorking><WorkingTimes>
  <WorkingTime><FromTime>08:00:00</FromTime><ToTime>12:00:00</ToTime></WorkingTime>
  <WorkingTime><FromTime>13:00:00</FromTime><ToTime>17:00:00</ToTime></WorkingTime>
</WorkingTimes></WeekDay>"""


def task(uid, name, level, duration="PT8H0M0S", extra="", links=()):
    link_xml = "".join(
        f"<PredecessorLink><PredecessorUID>{p}</PredecessorUID><Type>{t}</Type>"
        f"<LinkLag>{lag}</LinkLag><LagFormat>7</LagFormat></PredecessorLink>"
        for p, t, lag in links
    )
    uid_xml = f"<UID>{uid}</UID>" if uid is not None else ""
    return (
        f"<Task>{uid_xml}<ID>{uid}</ID><Name>{name}</Name><OutlineLevel>{level}</OutlineLevel>"
        f"<Duration>{duration}</Duration>{extra}{link_xml}</Task>"
    )


# 1 Phase (summary) > 2 Design (2d) -> 3 Build (3d, FS+1d) ; 4 Launch milestone (FS from 3);
# 5 Audit: SNET 2027-01-12, 50 % done; the 8th is a holiday.
TASKS = [
    task(0, "Plan", 0, "PT0H0M0S"),
    task(1, "Phase", 1, "PT40H0M0S", "<Summary>1</Summary>"),
    task(
        2,
        "Design",
        2,
        "PT16H0M0S",
        "<PercentComplete>100</PercentComplete>"
        "<ActualStart>2027-01-04T08:00:00</ActualStart>"
        "<ActualFinish>2027-01-05T17:00:00</ActualFinish>",
    ),
    task(3, "Build", 2, "PT24H0M0S", links=[(2, 1, 4800)]),
    task(4, "Launch", 1, "PT0H0M0S", "<Milestone>1</Milestone>", links=[(3, 1, 0)]),
    task(
        5,
        "Audit",
        1,
        "PT8H0M0S",
        "<PercentComplete>0</PercentComplete><ConstraintType>4</ConstraintType>"
        "<ConstraintDate>2027-01-12T08:00:00</ConstraintDate>"
        "<Deadline>2027-01-20T17:00:00</Deadline>",
        links=[(2, 3, 0)],
    ),
]


def document(tasks=None, *, head="", calendars=None, prolog="", extra=""):
    weekdays = "".join(WEEKDAY.format(n=n) for n in range(2, 7))
    cal = STANDARD_CALENDAR.format(weekdays=weekdays) if calendars is None else calendars
    body = "".join(TASKS if tasks is None else tasks)
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>{prolog}<Project xmlns="{NS}">'
        f"<Name>plan.xml</Name><Title>Office move</Title><ScheduleFromStart>1</ScheduleFromStart>"
        f"<StartDate>2027-01-04T08:00:00</StartDate><CalendarUID>1</CalendarUID>"
        f"<MinutesPerDay>480</MinutesPerDay><StatusDate>2027-01-06T17:00:00</StatusDate>{head}"
        f"{cal}<Tasks>{body}</Tasks>{extra}</Project>"
    ).encode()


BILLION_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
    b'<Project xmlns="http://schemas.microsoft.com/project"><Name>&lol3;</Name></Project>'
)
EXTERNAL_ENTITY = (
    b'<?xml version="1.0"?><!DOCTYPE p [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    b'<Project xmlns="http://schemas.microsoft.com/project"><Name>&xxe;</Name></Project>'
)

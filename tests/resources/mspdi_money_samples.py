"""A small MSPDI document with money in it, built the way Microsoft Project saves one.

"Office move" on Project's standard calendar (Mon-Fri 08:00-12:00, 13:00-17:00; 8 January 2027
is a holiday), status date Thursday 7 January 2027 17:00, currency EUR:

- 1 Design, Mon 4 - Tue 5 Jan (2 working days): Ana 100 % (16 h x 50/h = 800) and Travel (a
  cost resource: 300); baseline cost 1,100; 100 % complete; actual cost 1,100.
- 2 Build, Wed 6, Thu 7, Mon 11 Jan (3 working days): Ben 50 % (12 h x 40/h = 480) and Cable
  (20 m x 2.50 = 50); baseline cost 530; 50 % complete; actual cost 265.

Project's earned value at the status date, as it computes them (flat contours, prorated
accrual: a task's baseline cost spreads evenly over its working time):
- BCWS: Design 1,100 (done before the status date) + Build 530 x 2/3 = 353.33 -> 1,453.33
- BCWP: 1,100 x 100 % + 530 x 50 % -> 1,365.00
- ACWP: 1,100 + 265 -> 1,365.00
so CV = 0.00, SV = -88.33, BAC = 1,630.

Ana's rate table A goes up to 60/h from 1 February 2027 (after the plan's work, so the
figures above do not change); her table B is 70/h.
"""

from tests.projects.mspdi_samples import NS, STANDARD_CALENDAR, WEEKDAY

RESOURCES = """
<Resources>
  <Resource><UID>0</UID><ID>0</ID><Type>1</Type><IsNull>0</IsNull></Resource>
  <Resource>
    <UID>1</UID><ID>1</ID><Name>Ana Lopez</Name><Type>1</Type><Initials>AL</Initials>
    <Group>Design</Group><EmailAddress>Ana@Example.com</EmailAddress><MaxUnits>1</MaxUnits>
    <StandardRate>50</StandardRate><StandardRateFormat>2</StandardRateFormat>
    <OvertimeRate>75</OvertimeRate><CostPerUse>0</CostPerUse>
    <Cost>80000</Cost><ActualCost>80000</ActualCost>
    <Rates>
      <Rate><RatesFrom>1984-01-01T00:00:00</RatesFrom><RatesTo>2027-01-31T23:59:00</RatesTo>
        <RateTable>0</RateTable><StandardRate>50</StandardRate>
        <StandardRateFormat>2</StandardRateFormat><OvertimeRate>75</OvertimeRate>
        <OvertimeRateFormat>2</OvertimeRateFormat><CostPerUse>0</CostPerUse></Rate>
      <Rate><RatesFrom>2027-02-01T00:00:00</RatesFrom><RatesTo>2049-12-31T23:59:00</RatesTo>
        <RateTable>0</RateTable><StandardRate>60</StandardRate>
        <StandardRateFormat>3</StandardRateFormat><OvertimeRate>90</OvertimeRate>
        <OvertimeRateFormat>2</OvertimeRateFormat><CostPerUse>0</CostPerUse></Rate>
      <Rate><RatesFrom>1984-01-01T00:00:00</RatesFrom><RatesTo>2049-12-31T23:59:00</RatesTo>
        <RateTable>1</RateTable><StandardRate>70</StandardRate>
        <StandardRateFormat>2</StandardRateFormat><OvertimeRate>0</OvertimeRate>
        <OvertimeRateFormat>2</OvertimeRateFormat><CostPerUse>0</CostPerUse></Rate>
    </Rates>
  </Resource>
  <Resource>
    <UID>2</UID><ID>2</ID><Name>Ben Okoro</Name><Type>1</Type><MaxUnits>0.5</MaxUnits>
    <StandardRate>40</StandardRate><StandardRateFormat>2</StandardRateFormat>
    <CostPerUse>0</CostPerUse><Cost>48000</Cost><ActualCost>24000</ActualCost>
  </Resource>
  <Resource>
    <UID>3</UID><ID>3</ID><Name>Cable</Name><Type>0</Type><MaterialLabel>m</MaterialLabel>
    <StandardRate>2.5</StandardRate><StandardRateFormat>2</StandardRateFormat>
    <CostPerUse>0</CostPerUse>
  </Resource>
  <Resource><UID>4</UID><ID>4</ID><Name>Travel</Name><Type>2</Type></Resource>
</Resources>"""


def _assignment(uid, task, resource, units, work, actual_work, cost, actual, baseline):
    baseline_xml = f"<Baseline><Number>0</Number><Cost>{baseline}</Cost></Baseline>"
    return (
        f"<Assignment><UID>{uid}</UID><TaskUID>{task}</TaskUID><ResourceUID>{resource}"
        f"</ResourceUID><Units>{units}</Units><Work>{work}</Work><ActualWork>{actual_work}"
        f"</ActualWork><Cost>{cost}</Cost><ActualCost>{actual}</ActualCost>"
        f"<CostRateTable>0</CostRateTable>{baseline_xml}</Assignment>"
    )


ASSIGNMENTS = (
    "<Assignments>"
    + _assignment(1, 1, 1, "1", "PT16H0M0S", "PT16H0M0S", 80000, 80000, 80000)
    + _assignment(2, 1, 4, "1", "PT0H0M0S", "PT0H0M0S", 30000, 30000, 30000)
    + _assignment(3, 2, 2, "0.5", "PT12H0M0S", "PT6H0M0S", 48000, 24000, 48000)
    + _assignment(4, 2, 3, "20", "PT0H0M0S", "PT0H0M0S", 5000, 2500, 5000)
    + "<Assignment><UID>5</UID><TaskUID>2</TaskUID><ResourceUID>-65535</ResourceUID>"
    "<Units>1</Units></Assignment>" + "</Assignments>"
)


def _task(uid, name, level, duration, money, extra=""):
    cost, baseline, actual, bcws, bcwp, acwp = money
    return (
        f"<Task><UID>{uid}</UID><ID>{uid}</ID><Name>{name}</Name><OutlineLevel>{level}"
        f"</OutlineLevel><Duration>{duration}</Duration><Cost>{cost}</Cost>"
        f"<ActualCost>{actual}</ActualCost><BCWS>{bcws}</BCWS><BCWP>{bcwp}</BCWP>"
        f"<ACWP>{acwp}</ACWP><CV>{bcwp - acwp}</CV><SV>{bcwp - bcws}</SV>{extra}"
        f"<Baseline><Number>0</Number><Start>{{start}}</Start><Finish>{{finish}}</Finish>"
        f"<Duration>{duration}</Duration><Cost>{baseline}</Cost></Baseline></Task>"
    )


TASKS = [
    _task(
        0,
        "Office move",
        0,
        "PT40H0M0S",
        (163000, 163000, 136500, 145333, 136500, 136500),
        "<Summary>1</Summary><PercentComplete>70</PercentComplete>",
    ).format(start="2027-01-04T08:00:00", finish="2027-01-11T17:00:00"),
    _task(
        1,
        "Design",
        1,
        "PT16H0M0S",
        (110000, 110000, 110000, 110000, 110000, 110000),
        "<PercentComplete>100</PercentComplete><ActualStart>2027-01-04T08:00:00</ActualStart>"
        "<ActualFinish>2027-01-05T17:00:00</ActualFinish>",
    ).format(start="2027-01-04T08:00:00", finish="2027-01-05T17:00:00"),
    _task(
        2,
        "Build",
        1,
        "PT24H0M0S",
        (53000, 53000, 26500, 35333, 26500, 26500),
        "<PercentComplete>50</PercentComplete><ActualStart>2027-01-06T08:00:00</ActualStart>"
        "<PredecessorLink><PredecessorUID>1</PredecessorUID><Type>1</Type>"
        "<LinkLag>0</LinkLag><LagFormat>7</LagFormat></PredecessorLink>",
    ).format(start="2027-01-06T08:00:00", finish="2027-01-11T17:00:00"),
]


def money_document(*, resources: str = RESOURCES, assignments: str = ASSIGNMENTS) -> bytes:
    weekdays = "".join(WEEKDAY.format(n=n) for n in range(2, 7))
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><Project xmlns="{NS}">'
        "<Name>office.xml</Name><Title>Office move</Title><ScheduleFromStart>1</ScheduleFromStart>"
        "<StartDate>2027-01-04T08:00:00</StartDate><CalendarUID>1</CalendarUID>"
        "<MinutesPerDay>480</MinutesPerDay><StatusDate>2027-01-07T17:00:00</StatusDate>"
        "<CurrencyCode>EUR</CurrencyCode>"
        f"{STANDARD_CALENDAR.format(weekdays=weekdays)}<Tasks>{''.join(TASKS)}</Tasks>"
        f"{resources}{assignments}</Project>"
    ).encode()

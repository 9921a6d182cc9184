"""Safe access to an MSPDI document's XML: parsing with defusedxml, namespaced lookups that name
where a problem is, and MSPDI's duration format. Shared by the plan, baseline and resource
readers."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal, InvalidOperation
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from projects.calendars.timeline import plan_date_problem
from projects.schedule.durations import DurationError, DurationTooLong, parse_iso_duration

NAMESPACE = "http://schemas.microsoft.com/project"
DEFAULT_MAX_BYTES = 20 * 1024 * 1024
COST_UNITS = Decimal(100)
# Every whole number in the file fits a PostgreSQL integer column (UIDs, codes, lags in tenths).
INT_RANGE = range(-(2**31), 2**31)


class MspdiError(ValueError):
    """The file is not an MSPDI file we can read; the message names the problem."""


class Reader:
    """Element access in the file's namespace, with errors that say where they are."""

    def __init__(self, namespace: str) -> None:
        self.prefix = f"{{{namespace}}}" if namespace else ""

    def path(self, path: str) -> str:
        return "/".join(self.prefix + part for part in path.split("/"))

    def all(self, element: Element, path: str) -> list[Element]:
        return element.findall(self.path(path))

    def one(self, element: Element, path: str) -> Element | None:
        return element.find(self.path(path))

    def text(self, element: Element, tag: str) -> str | None:
        value = element.findtext(self.path(tag))
        return value.strip() if value is not None else None

    def int(self, element: Element, tag: str, where: str, default: int = 0) -> int:
        value = self.text(element, tag)
        if value in (None, ""):
            return default
        try:
            number = int(value)
        except ValueError:
            raise MspdiError(f"{where}: <{tag}> is not a whole number ({value!r}).") from None
        if number not in INT_RANGE:
            raise MspdiError(f"{where}: <{tag}> {number} is out of range.")
        return number

    def money(self, element: Element, tag: str, where: str) -> Decimal | None:
        """A cost: MSPDI writes hundredths of the currency unit (as MPXJ reads them)."""
        value = self.text(element, tag)
        if not value:
            return None
        try:
            return (Decimal(value) / COST_UNITS).quantize(Decimal("0.01"))
        except InvalidOperation:
            raise MspdiError(f"{where}: <{tag}> is not a number ({value!r}).") from None

    def moment(self, element: Element, tag: str, where: str) -> datetime | None:
        value = self.text(element, tag)
        if not value:
            return None
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            raise MspdiError(f"{where}: <{tag}> is not a date and time ({value!r}).") from None
        problem = plan_date_problem(moment.date())
        if problem:
            raise MspdiError(f"{where}: <{tag}> {problem}")
        return moment.replace(tzinfo=None)


def duration_minutes(text: str, where: str = "duration") -> int:
    """'PT8H0M0S' -> 480 (ISO 8601 working time as Microsoft Project writes it), by the one
    duration rule (projects/schedule/durations.py: half up to a whole minute)."""
    try:
        return parse_iso_duration(text)
    except DurationTooLong as error:
        raise MspdiError(f"{where}: {text!r} is too long: {error}.") from None
    except DurationError:
        raise MspdiError(f"{where}: {text!r} is not a duration such as PT8H0M0S.") from None


def parse(data: bytes, *, max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[Element, Reader]:
    """The root element of a safe, well-formed MSPDI document."""
    if len(data) > max_bytes:
        raise MspdiError(
            f"The file is {len(data):,} bytes; the limit is {max_bytes:,} bytes (MSPDI_MAX_BYTES)."
        )
    try:
        root = fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as error:
        raise MspdiError(
            f"The file declares a DTD, entities or external references ({error}); "
            "they are refused for safety."
        ) from None
    except ParseError as error:
        raise MspdiError(f"The file is not well-formed XML: {error}.") from None
    namespace, _, local = root.tag[1:].partition("}") if root.tag.startswith("{") else ("", "", "")
    if (local or root.tag) != "Project":
        raise MspdiError(f"The root element is <{local or root.tag}>, not an MSPDI <Project>.")
    return root, Reader(namespace)


def money_text(value: Decimal) -> str:
    """A cost in MSPDI's hundredths."""
    return str((value * COST_UNITS).to_integral_value())

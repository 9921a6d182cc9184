"""Who works on what in an MSPDI file: `<Resources>` and `<Assignments>` (pure: no Django).

Linchpin's tasks are assigned to people of the project. On import a work resource is matched to a
person by e-mail address, else by exact name; on export each assignee becomes a work resource with
their name and e-mail address, assigned at 100%.
"""

from __future__ import annotations

from dataclasses import dataclass
from xml.etree.ElementTree import Element, SubElement

from projects.mspdi.document import Reader

UNASSIGNED_RESOURCE = "-65535"
WORK_RESOURCE = "1"


@dataclass(frozen=True)
class MspdiResource:
    uid: str
    name: str
    email: str = ""


def read_assignments(r: Reader, root: Element) -> dict[int, list[MspdiResource]]:
    """Task UID -> the work resources assigned to it (material and cost resources are left out:
    they are not people)."""
    people = {}
    for element in r.all(root, "Resources/Resource"):
        uid = r.text(element, "UID") or ""
        name = r.text(element, "Name") or ""
        if uid in ("", "0") or not name or (r.text(element, "Type") or WORK_RESOURCE) != "1":
            continue
        people[uid] = MspdiResource(uid, name, (r.text(element, "EmailAddress") or "").lower())
    by_task: dict[int, list[MspdiResource]] = {}
    for element in r.all(root, "Assignments/Assignment"):
        resource = people.get(r.text(element, "ResourceUID") or UNASSIGNED_RESOURCE)
        task = r.text(element, "TaskUID") or ""
        if resource is None or not task.lstrip("-").isdigit():
            continue
        assigned = by_task.setdefault(int(task), [])
        if resource not in assigned:
            assigned.append(resource)
    return by_task


def match_people(
    resources: list[MspdiResource], by_email: dict[str, int], by_name: dict[str, int]
) -> tuple[list[int], list[MspdiResource]]:
    """The ids of the people the resources are (by e-mail, else by exact name), and the
    resources that are nobody in the project."""
    matched: list[int] = []
    unknown: list[MspdiResource] = []
    for resource in resources:
        person = by_email.get(resource.email) if resource.email else None
        person = person if person is not None else by_name.get(resource.name)
        if person is None:
            unknown.append(resource)
        elif person not in matched:
            matched.append(person)
    return matched, unknown


def write_resources(
    root: Element, people: list[MspdiResource], assignments: list[tuple[int, str]]
) -> None:
    """`<Resources>` for the assignees and `<Assignments>` (task UID, resource UID) at 100%."""
    resources = SubElement(root, "Resources")
    for person in people:
        element = SubElement(resources, "Resource")
        SubElement(element, "UID").text = person.uid
        SubElement(element, "ID").text = person.uid
        SubElement(element, "Name").text = person.name
        SubElement(element, "Type").text = WORK_RESOURCE
        if person.email:
            SubElement(element, "EmailAddress").text = person.email
    section = SubElement(root, "Assignments")
    for number, (task_uid, resource_uid) in enumerate(assignments, start=1):
        element = SubElement(section, "Assignment")
        SubElement(element, "UID").text = str(number)
        SubElement(element, "TaskUID").text = str(task_uid)
        SubElement(element, "ResourceUID").text = resource_uid
        SubElement(element, "Units").text = "1"

"""Read an MSPDI file into the scheduling engine's input (tests): a thin wrapper over the product
reader `projects.mspdi.read`, kept so the conformance tests read files the same way it does."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from projects.mspdi.read import MspdiError, MspdiPlan, duration_minutes
from projects.mspdi.read import read_mspdi as read_plan
from projects.schedule.network import ScheduleInput

UnsupportedMspdi = MspdiError

__all__ = ["MspdiProject", "UnsupportedMspdi", "duration_minutes", "read_mspdi"]


@dataclass(frozen=True)
class MspdiProject:
    schedule_input: ScheduleInput
    names: dict[int, str]
    plan: MspdiPlan


def read_mspdi(path: Path) -> MspdiProject:
    plan = read_plan(path.read_bytes())
    names = {task.uid: task.name for task in plan.tasks}
    return MspdiProject(schedule_input=plan.schedule_input(), names=names, plan=plan)

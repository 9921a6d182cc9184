"""Building risks the way the app does: through the services."""

from typing import Any

from risks import services
from risks.models import Risk


def raise_risk(world, title: str = "Vendor API late", **fields: Any) -> Risk:
    values = {
        "probability": 3,
        "impact_schedule": 4,
        "impact_cost": 2,
        "cost_impact": "10000",
        "schedule_impact_days": 10,
        "owner": world.member,
    }
    values.update(fields)
    return services.risk_create(project=world.project, actor=world.manager, title=title, **values)

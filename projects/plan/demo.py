"""Realistic plans for the demo projects: phases, workstreams, mixed links, a holiday calendar."""

from datetime import date

from projects.baselines import services as baseline_services
from projects.models import CalendarException, LinkType, Project, Task, WorkCalendar
from projects.plan import services as task_services
from projects.plan.changes import TaskChanges
from projects.plan.importing import PlannedLink, PlannedTask, plan_import, plan_progress_catch_up
from tpm.demo import DemoPeople
from tpm.models import Organisation, User

HOLIDAYS = [
    ("Christmas", date(2026, 12, 24), date(2026, 12, 26)),
    ("New Year", date(2026, 12, 31), date(2027, 1, 1)),
    ("Easter", date(2027, 3, 26), date(2027, 3, 29)),
    ("Labour Day", date(2027, 5, 1), date(2027, 5, 1)),
    ("Ascension Day", date(2027, 5, 6), date(2027, 5, 6)),
    ("Whit Monday", date(2027, 5, 17), date(2027, 5, 17)),
    ("German Unity Day", date(2027, 10, 3), date(2027, 10, 3)),
    ("Christmas", date(2027, 12, 24), date(2027, 12, 26)),
]


def seed_calendar(organisation: Organisation) -> WorkCalendar:
    calendar = WorkCalendar.objects.create(
        organisation=organisation,
        name="Frankfurt office (public holidays)",
        is_organisation_default=True,
    )
    CalendarException.objects.bulk_create(
        CalendarException(calendar=calendar, name=name, first_day=first, last_day=last)
        for name, first, last in HOLIDAYS
    )
    return calendar


def _payments_plan() -> tuple[list[PlannedTask], list[PlannedLink]]:
    t, links = [], []

    def phase(ref: str, name: str) -> None:
        t.append(PlannedTask(ref, name))

    def task(ref: str, name: str, days: float, parent: str, **kw: object) -> None:
        t.append(PlannedTask(ref, name, days, parent, **kw))  # type: ignore[arg-type]

    def link(a: str, b: str, kind: str = LinkType.FS, lag: float = 0) -> None:
        links.append(PlannedLink(a, b, kind, lag))

    phase("disc", "Discovery and planning")
    task("interviews", "Stakeholder interviews", 3, "disc")
    task("arch", "Current-state architecture review", 5, "disc")
    task("pci-scope", "PCI DSS scope assessment", 4, "disc")
    task("strategy", "Migration strategy signed off", 0, "disc", milestone=True)
    link("interviews", "arch", LinkType.SS, 1)
    link("arch", "pci-scope", LinkType.FS, -1)
    link("pci-scope", "strategy")
    link("arch", "strategy")

    phase("design", "Design")
    task("api", "Payments service API design", 5, "design")
    task("data", "Data migration design", 4, "design")
    task("secdesign", "Security design review", 2, "design")
    task("design-ok", "Design approved", 0, "design", milestone=True)
    link("strategy", "api")
    link("api", "data", LinkType.SS, 2)
    link("api", "secdesign")
    link("data", "secdesign", LinkType.FF)
    link("secdesign", "design-ok")

    phase("build", "Build")
    for method in ("Cards", "Wallets", "Refunds", "Payouts", "Fraud checks"):
        ref = method.lower().replace(" ", "-")
        t.append(PlannedTask(ref, f"{method} workstream", parent="build"))
        task(f"{ref}-impl", f"{method}: implement adapter", 8, ref)
        task(f"{ref}-contract", f"{method}: contract tests", 3, ref)
        task(f"{ref}-recon", f"{method}: reconciliation jobs", 4, ref)
        task(f"{ref}-obs", f"{method}: dashboards and alerts", 2, ref)
        link("design-ok", f"{ref}-impl")
        link(f"{ref}-impl", f"{ref}-contract", LinkType.SS, 3)
        link(f"{ref}-impl", f"{ref}-recon")
        link(f"{ref}-impl", f"{ref}-obs", LinkType.FF, 1)
    task("build-done", "Feature complete", 0, "build", milestone=True)
    for ref in ("cards", "wallets", "refunds", "payouts", "fraud-checks"):
        link(f"{ref}-recon", "build-done")
        link(f"{ref}-contract", "build-done")

    phase("migrate", "Migration")
    task("dual", "Dual-write to old and new ledgers", 5, "migrate")
    task("backfill", "Backfill historic transactions", 6, "migrate")
    task("shadow", "Shadow production traffic", 10, "migrate")
    task("rehearsal", "Cut-over rehearsal", 2, "migrate")
    link("build-done", "dual")
    link("dual", "backfill", LinkType.SS, 2)
    link("backfill", "shadow", LinkType.FS, -3)
    link("shadow", "rehearsal")

    phase("launch", "Certification and launch")
    task("audit", "PCI DSS re-certification audit", 10, "launch")
    task("pentest", "Penetration test", 5, "launch")
    task("findings", "Fix audit and pen-test findings", 5, "launch")
    task("golive", "Go-live before the holiday peak", 0, "launch", milestone=True)
    task("hypercare", "Hypercare", 10, "launch")
    link("rehearsal", "audit")
    link("build-done", "pentest", LinkType.FS, 2)
    link("audit", "findings", LinkType.FF, 2)
    link("pentest", "findings")
    link("findings", "golive")
    link("golive", "hypercare")
    return t, links


def _data_centre_plan() -> tuple[list[PlannedTask], list[PlannedLink]]:
    """Six migration waves of service groups, then decommissioning: about 220 tasks."""
    t = [PlannedTask("mobilise", "Mobilisation")]
    t += [
        PlannedTask("inventory", "Service inventory and dependency mapping", 15, "mobilise"),
        PlannedTask("landing", "Cloud landing zone", 20, "mobilise"),
        PlannedTask("ready", "Ready to migrate", 0, "mobilise", milestone=True),
    ]
    links = [
        PlannedLink("inventory", "landing", LinkType.SS, 5),
        PlannedLink("inventory", "ready"),
        PlannedLink("landing", "ready"),
    ]
    groups = ("Billing", "CRM", "Search", "Identity", "Reporting", "Messaging", "Storage", "Batch")
    previous_wave_end = "ready"
    for wave in range(1, 7):
        wave_ref = f"wave{wave}"
        t.append(PlannedTask(wave_ref, f"Wave {wave}"))
        for group in groups:
            g = f"{wave_ref}-{group.lower()}"
            t.append(PlannedTask(g, f"{group} services (wave {wave})", parent=wave_ref))
            steps = [("assess", "Assess", 2), ("move", "Re-platform", 6), ("test", "Test", 3)]
            for key, label, days in steps:
                t.append(PlannedTask(f"{g}-{key}", f"{label} {group.lower()}", days, g))
            t.append(PlannedTask(f"{g}-cut", f"Cut over {group.lower()}", 0.5, g))
            links += [
                PlannedLink(previous_wave_end, f"{g}-assess"),
                PlannedLink(f"{g}-assess", f"{g}-move"),
                PlannedLink(f"{g}-move", f"{g}-test", LinkType.SS, 3),
                PlannedLink(f"{g}-test", f"{g}-cut"),
            ]
        end = f"{wave_ref}-done"
        t.append(PlannedTask(end, f"Wave {wave} complete", 0, wave_ref, milestone=True))
        links += [PlannedLink(f"{wave_ref}-{group.lower()}-cut", end) for group in groups]
        previous_wave_end = end
    t.append(PlannedTask("exit", "Exit"))
    t += [
        PlannedTask("decom", "Decommission hardware", 15, "exit"),
        PlannedTask("contract", "End colocation contract", 0, "exit", milestone=True),
    ]
    links += [PlannedLink(previous_wave_end, "decom"), PlannedLink("decom", "contract")]
    return t, links


MOBILE_EPICS = (
    (
        "design",
        "Design system",
        (
            ("Design tokens and typography", 6),
            ("Components: buttons and forms", 8),
            ("Components: lists and cards", 8),
            ("Dark mode", 6),
        ),
    ),
    (
        "signup",
        "Sign-up and onboarding",
        (
            ("Email sign-up API", 6),
            ("Sign-up screens", 8),
            ("Sign in with Apple and Google", 10),
            ("Onboarding tour", 6),
        ),
    ),
    (
        "offline",
        "Offline mode",
        (
            ("Local cache of the feed", 10),
            ("Queue writes while offline", 10),
            ("Resolve conflicts on reconnect", 8),
            ("Offline indicator", 2),
        ),
    ),
    (
        "push",
        "Push notifications",
        (
            ("Notification service", 8),
            ("Notification preferences screen", 6),
            ("Deep links from notifications", 6),
        ),
    ),
    (
        "release",
        "Release",
        (
            ("Performance pass", 8),
            ("Accessibility audit fixes", 6),
            ("Beta feedback fixes", 10),
        ),
    ),
)


def _mobile_plan() -> tuple[list[PlannedTask], list[PlannedLink]]:
    """Epics of user stories, each epic a chain; screens wait for the design system."""
    t: list[PlannedTask] = []
    links: list[PlannedLink] = []
    for epic, title, stories in MOBILE_EPICS:
        t.append(PlannedTask(epic, title))
        previous = None
        for n, (name, days) in enumerate(stories, start=1):
            ref = f"{epic}{n}"
            t.append(PlannedTask(ref, name, days, epic))
            if previous:
                links.append(PlannedLink(previous, ref))
            previous = ref
    t += [
        PlannedTask("beta", "Public beta", 0, "release", milestone=True),
        PlannedTask("stores", "App store submissions", 0, "release", milestone=True),
    ]
    links += [
        PlannedLink("design2", "signup2"),
        PlannedLink("design3", "offline4"),
        PlannedLink("design3", "push2"),
        PlannedLink("signup4", "beta"),
        PlannedLink("offline3", "beta"),
        PlannedLink("beta", "release1"),
        PlannedLink("push3", "release1"),
        PlannedLink("release3", "stores"),
    ]
    return t, links


PLANS = {"PAY": _payments_plan, "DC": _data_centre_plan, "MOB": _mobile_plan}
# Projects whose plan was approved (a baseline) before work began.
BASELINED = ("PAY", "DC")
# What went wrong on the payments project since its approval: (task name, new length in days).
PAYMENTS_SLIP = (
    ("Cards: implement adapter", 11),  # the card scheme's sandbox was down for three days
    ("Refunds: reconciliation jobs", 6),  # partial refunds turned out to need their own ledger
)


def _slip_payments(project: Project, actor: User) -> None:
    """Lengthen two build tasks after the baseline, so comparing with it shows a late finish."""
    for name, days in PAYMENTS_SLIP:
        task = Task.objects.alive().get(project=project, name=name)
        minutes = days * 480  # the plan was imported in 8-hour days
        task_services.task_update(
            task=task,
            actor=actor,
            version=task.version,
            changes=TaskChanges(duration_minutes=minutes),
        )


def assign_work(project: Project, engineers: list[User]) -> None:
    """Share the project's tasks among its engineers in turn (one insert, no notifications:
    nobody should find a hundred "assigned to you" e-mails after a demo seed)."""
    leaves = (
        Task.objects.alive()
        .filter(project=project, is_summary=False, is_milestone=False)
        .order_by("outline_key")
        .values_list("pk", flat=True)
    )
    through = Task.assignees.through
    through.objects.bulk_create(
        through(task_id=pk, user_id=engineers[n % len(engineers)].pk) for n, pk in enumerate(leaves)
    )


def seed_plans(projects: list[Project], people: DemoPeople, today: date) -> int:
    """Give each demo project its plan, with progress reported up to today and the work shared
    among the engineers. Returns the task count."""
    count = 0
    for project in projects:
        actor = people.manager
        tasks, links = PLANS[project.key]()
        plan_import(project=project, actor=actor, tasks=tasks, links=links)
        assign_work(project, people.engineers)
        if project.key in BASELINED:
            baseline_services.baseline_save(
                project=project,
                actor=actor,
                name="Approved plan",
                note="The plan the steering committee approved at kick-off.",
            )
        if project.key == "PAY":
            _slip_payments(project, actor)
        if project.start_date and project.start_date < today:
            plan_progress_catch_up(project=project, actor=actor, as_of=today)
        count += len(tasks)
    return count

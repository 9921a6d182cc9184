"""Scheduled delivery: find due schedules, generate each period's report once, send it to every
recipient once, record each delivery, and resend failed ones.

Exactly once per schedule and period: the report is keyed on (schedule, period) and each
delivery on (report, email), both unique in the database. A send is three steps, and no
transaction is open and no lock held while the PDF is rendered or the mail server is talked to:

1. claim (`delivery_claim`, a short transaction): lock the row, skip it if sent or if another
   worker claimed it less than CLAIM_TIMEOUT ago, else mark it `sending`, count the attempt,
   stamp `claimed_at`, commit;
2. render and send (`_message(...).send()`), SMTP bounded by EMAIL_TIMEOUT;
3. record (`delivery_record_sent` / `delivery_record_failure`, a short transaction): sent with
   its time, or back to pending for a retry (MAX_ATTEMPTS in all, reports/tasks.py backs off),
   or failed with the error and a history entry.

So the beat job may run twice, or two workers take the same delivery at once, without a second
email. A worker that dies between claim and record leaves the row `sending`: once the claim is
older than CLAIM_TIMEOUT, the beat job queues it again (`stale_claims`) and the next attempt
takes it over, the lost attempt counting as one. The one window left is between the SMTP server
accepting a message and the row being marked sent: a crash there means one duplicate rather
than a loss, and the duplicate carries the first one's Message-ID (`message_id`).

Money: a recipient who is on the project in a role without ProjectAction.VIEW_MONEY (members,
viewers) gets the report with its cost section hidden, as the pages show it them; managers,
stakeholders, organisation admins and external addresses (the manager chose them, like a
sponsor's) get it whole. The variant is decided when the delivery row is made
(`Delivery.with_money`), so a resend sends what the first attempt would have; each variant's
PDF is rendered once (`ReportDocument` per report, audience and variant).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import OuterRef, Q, Subquery
from django.db.models.functions import Lower
from django.utils import timezone

from projects.models import ProjectMembership
from tpm import history, jobs
from tpm.models import Membership, User
from tpm.roles import OrgRole, ProjectAction, ProjectRole, project_role_can

from . import periods, rendering, selectors, services
from .models import (
    Delivery,
    DeliveryStatus,
    ReportDocument,
    ReportSchedule,
    StatusReport,
)

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 5


def rule_of(schedule: ReportSchedule) -> periods.Rule:
    return periods.Rule(
        frequency=schedule.frequency,
        weekday=schedule.weekday,
        time_of_day=schedule.time_of_day,
        time_zone=schedule.time_zone,
        starts_on=schedule.starts_on,
    )


@dataclass(frozen=True)
class Due:
    schedule_id: int
    period: date


def _due_period(schedule: ReportSchedule, now: datetime) -> date | None:
    """The schedule's latest period, unless that came round before the schedule existed."""
    period = periods.latest_period(rule_of(schedule), now)
    if period is None:
        return None
    moment = datetime.combine(period, schedule.time_of_day, ZoneInfo(schedule.time_zone))
    return None if moment < schedule.created_at else period


def due_schedules(now: datetime) -> list[Due]:
    """Active schedules of live projects whose latest period has not been fully delivered.

    A period before the schedule existed is never sent (a new schedule waits for its first).
    Two queries, however many schedules.
    """
    schedules = list(
        ReportSchedule.objects.filter(is_active=True, project__deleted_at__isnull=True)
    )
    candidates: dict[int, date] = {}
    for schedule in schedules:
        try:
            period = _due_period(schedule, now)
        except Exception:
            # One schedule with data nobody foresaw must not stop every organisation's reports.
            log.exception(
                "Report schedule %s skipped: its due period cannot be worked out", schedule.pk
            )
            continue
        if period is not None:
            candidates[schedule.pk] = period
    if not candidates:
        return []
    done = set(
        StatusReport.objects.filter(schedule_id__in=candidates)
        .exclude(deliveries__status=DeliveryStatus.PENDING)
        .filter(deliveries__isnull=False)
        .values_list("schedule_id", "period")
    )
    return [
        Due(schedule_id, period)
        for schedule_id, period in candidates.items()
        if (schedule_id, period) not in done
    ]


def recipients(schedule: ReportSchedule) -> list[str]:
    """People with the chosen project roles, then the external addresses; each address once."""
    emails = list(
        ProjectMembership.objects.filter(
            project_id=schedule.project_id,
            role__in=schedule.recipient_roles,
            user__is_active=True,
        )
        .order_by("user__email")
        .values_list("user__email", flat=True)
    )
    emails += schedule.external_list()
    return list(dict.fromkeys(email.strip().lower() for email in emails if email.strip()))


def money_rights(project_id: int, organisation_id: int, emails: list[str]) -> dict[str, bool]:
    """Whether each (lower-case) address may receive budgets and costs. One query.

    An address of someone on the project follows their effective role there (an organisation
    admin acts as manager; someone who left the organisation has no role: no money); any other
    address was chosen by the manager as an external recipient and gets the whole report.
    """
    rights = dict.fromkeys(emails, True)
    rows = (
        ProjectMembership.objects.filter(project_id=project_id)
        .annotate(
            address=Lower("user__email"),
            org_role=Subquery(
                Membership.objects.filter(
                    organisation_id=organisation_id, user=OuterRef("user")
                ).values("role")[:1]
            ),
        )
        .filter(address__in=emails)
        .values_list("address", "role", "org_role")
    )
    for address, role, org_role in rows:
        if org_role == OrgRole.ADMIN:
            effective: str | None = ProjectRole.MANAGER
        else:
            effective = role if org_role is not None else None
        rights[address] = project_role_can(effective, ProjectAction.VIEW_MONEY)
    return rights


def _generate(schedule: ReportSchedule, period: date) -> StatusReport:
    """The period's report, created once and published at once: this period's figures, and no
    narrative. Last period's summary, accomplishments and asks would go out as if written for
    this one (issue 22); the manager's words go out in the reports they publish themselves."""
    existing = StatusReport.objects.filter(schedule=schedule, period=period).first()
    if existing:
        return existing
    project = schedule.project
    try:
        with transaction.atomic():
            report = services.report_create(
                project=project,
                actor=None,
                title=f"{project.key} {schedule.name}, {period:%d %b %Y}",
                schedule=schedule,
                period=period,
            )
            return services.report_publish(report=report, actor=None, version=report.version)
    except IntegrityError:
        # Another run made it first (same natural key): use theirs.
        return StatusReport.objects.get(schedule=schedule, period=period)


def document_for(report: StatusReport, audience: str, *, with_money: bool) -> bytes:
    """The report's PDF for this audience, with or without money, rendered once."""
    existing = ReportDocument.objects.filter(
        report=report, audience=audience, with_money=with_money
    ).first()
    if existing:
        return bytes(existing.pdf)
    html = _html(report, audience, with_money=with_money)
    pdf = rendering.render_pdf(html)
    try:
        with transaction.atomic():
            ReportDocument.objects.create(
                report=report, audience=audience, with_money=with_money, pdf=pdf
            )
    except IntegrityError:
        pass  # rendered twice at once; the same content either way
    return pdf


def _html(report: StatusReport, audience: str, *, with_money: bool, for_email: bool = False) -> str:
    previous = selectors.previous_published(report)
    return rendering.render_document(
        for_email=for_email,
        snapshot=report.snapshot,
        audience=audience,
        report=report,
        previous_snapshot=previous.snapshot if previous else None,
        link=rendering.report_link(report),
        with_money=with_money,
    )


def prepare_period(schedule_id: int, period: date) -> list[int]:
    """Generate the report and a delivery row per recipient; the ids still to send."""
    schedule = (
        ReportSchedule.objects.select_related("project__organisation")
        .filter(pk=schedule_id, project__deleted_at__isnull=True)
        .first()
    )
    if schedule is None:
        return []  # deleted (or its project trashed) since the job queued it
    report = _generate(schedule, period)
    emails = recipients(schedule)
    rights = money_rights(schedule.project_id, schedule.project.organisation_id, emails)
    # Rows that exist already (an earlier run) keep the variant they were made with.
    Delivery.objects.bulk_create(
        [
            Delivery(
                report=report,
                schedule=schedule,
                email=email,
                audience=schedule.audience,
                with_money=rights[email],
            )
            for email in emails
        ],
        ignore_conflicts=True,
    )
    pending = list(
        Delivery.objects.filter(report=report, status=DeliveryStatus.PENDING).values_list(
            "pk", "audience", "with_money"
        )
    )
    # Each variant still to send is rendered here, once, before the emails go out.
    for audience, with_money in sorted({(row[1], row[2]) for row in pending}):
        document_for(report, audience, with_money=with_money)
    return [row[0] for row in pending]


class SendOutcome:
    SENT = "sent"
    ALREADY_SENT = "already-sent"
    IN_PROGRESS = "in-progress"
    RETRY = "retry"
    FAILED = "failed"
    # Only from delivery_claim: the row is this worker's to send.
    CLAIMED = "claimed"


# A claim this old belongs to a worker that stopped (killed, out of memory, lost its database)
# between claiming a delivery and recording the outcome. It must outlast any live attempt: Celery
# kills a task after CELERY_TASK_TIME_LIMIT (300 s) and each SMTP operation gives up after
# EMAIL_TIMEOUT (30 s); tests/reports/test_delivery_claims.py holds the first to this.
CLAIM_TIMEOUT = timedelta(minutes=10)


def message_id(delivery_id: int) -> str:
    """The same Message-ID on every attempt at one delivery: a copy re-sent after a crash
    between the server accepting it and the row being marked sent can be told apart (and
    dropped by mail systems that de-duplicate on it)."""
    host = urlsplit(settings.SITE_URL).hostname or "localhost"
    return f"<linchpin-delivery-{delivery_id}@{host}>"


def _message(delivery: Delivery) -> EmailMultiAlternatives:
    report = delivery.report
    overall = ((report.snapshot.get("health") or {}).get("overall") or {}).get("colour")
    subject = f"[{report.project.key}] {report.title}"
    if overall:
        subject += f" - overall {overall}"
    text = (
        f"{report.title}\n\nOverall health: {overall or 'no data yet'}\n\n"
        f"{report.summary or ''}\n\nRead it in Linchpin: {rendering.report_link(report)}\n"
    )
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[delivery.email],
        headers={"Message-ID": message_id(delivery.pk)},
    )
    with_money = delivery.with_money
    message.attach_alternative(
        _html(report, delivery.audience, with_money=with_money, for_email=True), "text/html"
    )
    message.attach(
        f"{report.project.key}-status-{report.generated_at:%Y-%m-%d}.pdf",
        document_for(report, delivery.audience, with_money=with_money),
        "application/pdf",
    )
    return message


def _claim_is_live(delivery: Delivery, now: datetime) -> bool:
    """Whether a worker is sending this delivery now (claimed within CLAIM_TIMEOUT)."""
    return (
        delivery.status == DeliveryStatus.SENDING
        and delivery.claimed_at is not None
        and delivery.claimed_at > now - CLAIM_TIMEOUT
    )


def _give_up(delivery: Delivery, error: str) -> None:
    """Mark a delivery failed for the manager to see and resend (inside the caller's
    transaction, with the row locked)."""
    before = delivery.status
    delivery.status = DeliveryStatus.FAILED
    delivery.error = error[:2000]
    delivery.save(update_fields=["status", "error"])
    project = delivery.report.project
    history.record(
        actor=None,
        organisation=project.organisation,
        target=delivery,
        action="failed",
        scope=f"project:{project.pk}",
        changes={"status": [before, DeliveryStatus.FAILED.value], "error": [None, delivery.error]},
    )


def delivery_claim(delivery_id: int, *, now: datetime) -> tuple[str, Delivery | None]:
    """Step 1 of a send, one short transaction: take the delivery for this worker.

    The row becomes `sending`, with one more attempt and `claimed_at = now`, and the transaction
    commits at once: no lock is held while the email is made and sent. Another worker then
    skips it (IN_PROGRESS) until the claim is recorded or grows older than CLAIM_TIMEOUT; an
    expired claim is taken over and counts as an attempt, and once such attempts reach
    MAX_ATTEMPTS the delivery is failed instead (a message that kills its worker each time).
    Returns (CLAIMED, the row), or (the outcome, None) when there is nothing to send here.
    """
    with transaction.atomic(durable=True):
        delivery = (
            Delivery.objects.select_for_update(of=("self",))
            .select_related("report__project__organisation")
            .filter(pk=delivery_id)
            .first()
        )
        if delivery is None or delivery.status == DeliveryStatus.SENT:
            return SendOutcome.ALREADY_SENT, None
        if _claim_is_live(delivery, now):
            return SendOutcome.IN_PROGRESS, None
        if delivery.status == DeliveryStatus.SENDING:
            log.warning(
                "Delivery %s to %s: the worker that claimed it at %s stopped without an outcome",
                delivery.pk,
                delivery.email,
                delivery.claimed_at,
            )
            if delivery.attempts >= MAX_ATTEMPTS:
                _give_up(
                    delivery,
                    f"The worker stopped while sending, {delivery.attempts} attempts in a row.",
                )
                return SendOutcome.FAILED, None
        delivery.status = DeliveryStatus.SENDING
        delivery.attempts += 1
        delivery.claimed_at = now
        delivery.save(update_fields=["status", "attempts", "claimed_at"])
        return SendOutcome.CLAIMED, delivery


def delivery_record_sent(*, claimed: Delivery, now: datetime) -> str:
    """Step 3 after a send: mark the delivery sent (also when another worker took an expired
    claim over meanwhile: the email went, and the row must say so before it goes twice)."""
    with transaction.atomic(durable=True):
        delivery = Delivery.objects.select_for_update().filter(pk=claimed.pk).first()
        if delivery is None:
            return SendOutcome.SENT  # deleted with its report while the email went out
        if delivery.status == DeliveryStatus.SENT:
            log.warning("Delivery %s to %s went out twice", delivery.pk, delivery.email)
            return SendOutcome.SENT
        delivery.status = DeliveryStatus.SENT
        delivery.sent_at = now
        delivery.error = ""
        delivery.save(update_fields=["status", "sent_at", "error"])
        return SendOutcome.SENT


def delivery_record_failure(*, claimed: Delivery, error: str, final: bool) -> str:
    """Step 3 after a failed send: back to pending for the task to retry with back-off, or,
    when `final` or out of attempts, failed with the error (and a history entry) for the
    manager to see and resend. A claim another worker has taken over since leaves the row to
    that worker."""
    with transaction.atomic(durable=True):
        delivery = (
            Delivery.objects.select_for_update(of=("self",))
            .select_related("report__project__organisation")
            .filter(pk=claimed.pk)
            .first()
        )
        if delivery is None or delivery.status == DeliveryStatus.SENT:
            return SendOutcome.ALREADY_SENT
        if delivery.status != DeliveryStatus.SENDING or delivery.attempts != claimed.attempts:
            return SendOutcome.IN_PROGRESS
        if final or delivery.attempts >= MAX_ATTEMPTS:
            _give_up(delivery, error)
            return SendOutcome.FAILED
        delivery.status = DeliveryStatus.PENDING
        delivery.error = error[:2000]
        delivery.save(update_fields=["status", "error"])
        return SendOutcome.RETRY


def delivery_send(delivery_id: int, *, final: bool) -> str:
    """Send one delivery unless it went already or another worker is sending it.

    Claim (a short transaction), then make the email and send it with no transaction open and
    no lock held, then record the outcome (another short transaction). Must not be called
    inside a transaction (the claim is durable). A failure keeps the row pending (the task
    retries with back-off) until `final`, when it is marked failed with the error, for the UI
    to show and resend.
    """
    outcome, claimed = delivery_claim(delivery_id, now=timezone.now())
    if claimed is None:
        return outcome
    try:
        _message(claimed).send()
    except Exception as exc:
        log.warning("Delivery %s to %s failed: %s", claimed.pk, claimed.email, exc)
        return delivery_record_failure(
            claimed=claimed, error=f"{type(exc).__name__}: {exc}", final=final
        )
    return delivery_record_sent(claimed=claimed, now=timezone.now())


def stale_claims(now: datetime) -> list[int]:
    """Deliveries whose worker stopped between claim and record (any period, resends too),
    for the beat job to queue again. One query."""
    return list(
        Delivery.objects.filter(status=DeliveryStatus.SENDING)
        .filter(Q(claimed_at__lt=now - CLAIM_TIMEOUT) | Q(claimed_at__isnull=True))
        .order_by("pk")
        .values_list("pk", flat=True)
    )


@transaction.atomic
def delivery_resend(*, delivery: Delivery, actor: User) -> Delivery:
    """Put a failed delivery back in the queue (the manager pressed Resend).

    One that went meanwhile, or that a worker is sending right now, is left as it is.
    """
    locked = Delivery.objects.select_for_update().get(pk=delivery.pk)
    if locked.status == DeliveryStatus.SENT or _claim_is_live(locked, timezone.now()):
        return locked
    before = locked.status
    locked.status = DeliveryStatus.PENDING
    locked.attempts = 0
    locked.error = ""
    locked.save(update_fields=["status", "attempts", "error"])
    history.record(
        actor=actor,
        organisation=delivery.report.project.organisation,
        target=locked,
        action="resend",
        scope=f"project:{delivery.report.project_id}",
        changes={"status": [before, DeliveryStatus.PENDING.value]},
    )
    from .tasks import send_delivery

    jobs.enqueue_on_commit(send_delivery, locked.pk)  # a broker outage: kept (tpm/jobs.py)
    return locked

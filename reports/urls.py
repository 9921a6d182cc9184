"""Project-level report pages, mounted at projects/<project_id>/ (after projects.urls)."""

from django.urls import path

from .views import dashboard, exports, reports, schedules, share

urlpatterns = [
    path("dashboard/", dashboard.project_dashboard, name="project-dashboard"),
    path("dashboard/override/", dashboard.override_set, name="health-override-set"),
    path(
        "dashboard/override/<int:override_id>/clear/",
        dashboard.override_clear,
        name="health-override-clear",
    ),
    path("dashboard.pdf", dashboard.dashboard_pdf, name="project-dashboard-pdf"),
    path("share-links/", share.share_links, name="report-share-links"),
    path("share-links/<int:link_id>/revoke/", share.share_link_revoke, name="report-share-revoke"),
    path("reports/", reports.report_list, name="report-list"),
    path("reports/<int:report_id>/", reports.report_detail, name="report-detail"),
    path("reports/<int:report_id>/edit/", reports.report_edit, name="report-edit"),
    path("reports/<int:report_id>/delete/", reports.report_delete, name="report-delete"),
    path("reports/<int:report_id>/report.pdf", reports.report_pdf, name="report-pdf"),
    path("report-schedules/", schedules.schedule_list, name="report-schedules"),
    path(
        "report-schedules/<int:schedule_id>/", schedules.schedule_edit, name="report-schedule-edit"
    ),
    path(
        "report-schedules/<int:schedule_id>/delete/",
        schedules.schedule_delete,
        name="report-schedule-delete",
    ),
    path(
        "deliveries/<int:delivery_id>/resend/",
        schedules.delivery_resend,
        name="report-delivery-resend",
    ),
    path("export/tasks.csv", exports.tasks_csv, name="export-tasks-csv"),
    path("export/tasks.xlsx", exports.tasks_xlsx, name="export-tasks-xlsx"),
    path("export/milestones.ics", exports.milestones_ics, name="export-milestones-ics"),
    path("export/risks.<str:fmt>", exports.risks_export, name="export-risks"),
    path("export/budget-lines.<str:fmt>", exports.budget_lines_export, name="export-budget-lines"),
    path("export/time-entries.<str:fmt>", exports.time_entries_export, name="export-time-entries"),
]

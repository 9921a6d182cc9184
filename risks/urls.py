"""Register pages, included under /projects/<project_id>/risks/ by tpm/urls.py."""

from django.urls import path

from .views import register, risk, transfer

urlpatterns = [
    path("", register.risk_register, name="risk-register"),
    path("overview/", register.risk_overview, name="risk-overview"),
    path("new/", risk.risk_create, name="risk-create"),
    path("import/", transfer.risk_import, name="risk-import"),
    path("export.<str:fmt>", transfer.risk_export, name="risk-export"),
    path("<int:risk_id>/", risk.risk_detail, name="risk-detail"),
    path("<int:risk_id>/edit/", risk.risk_edit, name="risk-edit"),
    path("<int:risk_id>/reassess/", risk.risk_reassess, name="risk-reassess"),
    path("<int:risk_id>/occurred/", risk.risk_occurred, name="risk-occurred"),
    path("<int:risk_id>/responses/", risk.risk_response_add, name="risk-response-add"),
    path("<int:risk_id>/links/", risk.risk_link_add, name="risk-link-add"),
    path(
        "<int:risk_id>/links/<int:task_id>/remove/",
        risk.risk_link_remove,
        name="risk-link-remove",
    ),
]

"""Every page of the risks app, included at the site's root by tpm/urls.py: a project's risk
register and RAID log, and the organisation's risk settings."""

from django.urls import include, path

from .views import register, risk, settings, transfer

# Under /projects/<project_id>/risks/.
register_patterns = [
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
    path("<int:risk_id>/links/search/", risk.risk_link_search, name="risk-link-search"),
    path(
        "<int:risk_id>/links/<int:task_id>/remove/",
        risk.risk_link_remove,
        name="risk-link-remove",
    ),
]

# Under /org/risks/.
settings_patterns = [
    path("", settings.risk_settings, name="risk-settings"),
    path("categories/", settings.risk_category_add, name="risk-category-add"),
    path(
        "categories/<int:category_id>/toggle/",
        settings.risk_category_toggle,
        name="risk-category-toggle",
    ),
]

urlpatterns = [
    path("projects/<int:project_id>/risks/", include(register_patterns)),
    path("projects/<int:project_id>/raid/", include("risks.raid.urls")),
    path("org/risks/", include(settings_patterns)),
]

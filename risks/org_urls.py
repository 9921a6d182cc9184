"""The organisation's risk settings, included under /org/risks/ by tpm/urls.py."""

from django.urls import path

from .views import settings

urlpatterns = [
    path("", settings.risk_settings, name="risk-settings"),
    path("categories/", settings.risk_category_add, name="risk-category-add"),
    path(
        "categories/<int:category_id>/toggle/",
        settings.risk_category_toggle,
        name="risk-category-toggle",
    ),
]

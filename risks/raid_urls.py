"""RAID log pages, included under /projects/<project_id>/raid/ by tpm/urls.py."""

from django.urls import path

from .views import raid

urlpatterns = [
    path("", raid.raid_log, name="raid-log"),
    path("<str:kind>/new/", raid.raid_create, name="raid-create"),
    path("<str:kind>/<int:entry_id>/edit/", raid.raid_edit, name="raid-edit"),
]

"""RAID log pages, included under /projects/<project_id>/raid/ by risks/urls.py."""

from django.urls import path

from . import views as raid

urlpatterns = [
    path("", raid.raid_log, name="raid-log"),
    path("<str:kind>/new/", raid.raid_create, name="raid-create"),
    path("<str:kind>/<int:entry_id>/edit/", raid.raid_edit, name="raid-edit"),
]

"""The notification pages (tpm/views/notifications.py)."""

from django.urls import path

from .views import notifications as views

urlpatterns = [
    path("", views.notification_list, name="notification-list"),
    path("<int:notification_id>/read/", views.notification_read, name="notification-read"),
    path("read-all/", views.notification_read_all, name="notification-read-all"),
    path("preferences/", views.notification_preferences, name="notification-preferences"),
    path("bell/", views.notification_bell, name="notification-bell"),
]

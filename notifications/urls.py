from django.urls import path

from notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.liste, name="liste"),
    path("<uuid:uuid>/lue", views.marquer_lue, name="marquer_lue"),
    path("tout-lu", views.tout_marquer_lu, name="tout_marquer_lu"),
    path("preferences", views.preferences, name="preferences"),
]

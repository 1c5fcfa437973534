from django.urls import path

from avenirpro import views_exports as views

app_name = "exports"

urlpatterns = [
    path("<uuid:uuid>/", views.detail, name="detail"),
    path("<uuid:uuid>/fichier", views.telecharger, name="telecharger"),
]

from django.urls import path

from rgpd import views as views_rgpd

app_name = "rgpd"

urlpatterns = [
    path("jeunes/<uuid:jeune_uuid>/export/", views_rgpd.export, name="export"),
    path("jeunes/<uuid:jeune_uuid>/effacer/", views_rgpd.effacer, name="effacer"),
]

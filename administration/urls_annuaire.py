from django.urls import path

from administration import views_annuaire as v

app_name = "annuaire"

urlpatterns = [
    path("", v.annuaire, name="index"),
    path("missions-locales/<uuid:uuid>/", v.mission_locale, name="mission_locale"),
    path("structures/<uuid:uuid>/", v.structure, name="structure"),
]

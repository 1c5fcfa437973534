"""The home page (`/`, URL name «accueil»): the summaries come from the dashboards."""

from django.urls import path

from tableaux import accueil

urlpatterns = [path("", accueil.accueil, name="accueil")]

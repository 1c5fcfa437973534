"""The search of young people, at the root of the site (`/recherche/`, URL name «recherche»)."""

from django.urls import path

from eleves import views

urlpatterns = [path("", views.recherche, name="recherche")]

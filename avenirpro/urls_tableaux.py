import os

from django.conf import settings
from django.urls import path

from avenirpro.tableaux import vues

app_name = "tableaux"

urlpatterns = [
    path("chef/", vues.chef, name="chef"),
    path("referent/", vues.referent, name="referent"),
    path("conseiller/", vues.conseiller, name="conseiller"),
    path("pilotage/", vues.pilotage, name="pilotage"),
]

if not settings.DEBUG and os.environ.get("BENCH") == "1":
    from avenirpro.tableaux import bench

    urlpatterns += [
        path("bench/texte", bench.texte, name="bench_texte"),
        path("bench/base", bench.base, name="bench_base"),
        path("bench/liste", bench.liste, name="bench_liste"),
    ]

import os

from django.conf import settings
from django.urls import path

from tableaux import exports, vues

app_name = "tableaux"

urlpatterns = [
    path("chef/", vues.chef, name="chef"),
    path("referent/", vues.referent, name="referent"),
    path("conseiller/", vues.conseiller, name="conseiller"),
    path("pilotage/", vues.pilotage, name="pilotage"),
    path("<str:role>/mes-jeunes.<str:format>", exports.mes_jeunes, name="mes_jeunes_export"),
]

if not settings.DEBUG and os.environ.get("BENCH") == "1":
    from tableaux import bench

    urlpatterns += [
        path("bench/texte", bench.texte, name="bench_texte"),
        path("bench/base", bench.base, name="bench_base"),
        path("bench/liste", bench.liste, name="bench_liste"),
    ]

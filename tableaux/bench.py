"""Reference pages of the benchmark (bench/run.py), mounted only when DEBUG is false and BENCH=1.

- `texte`: a trivial view returning short text (the server's floor);
- `base`: the DSFR base page, no query (anonymous);
- `liste`: a DSFR page listing 50 rows of the 50,000-row table `bench_reference` (created by bench/run.py in the
  benchmark database only) with one indexed query, behind the login like every real page.
"""

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from avenirpro.parametres import entier_parametre


@login_not_required
@require_GET
def texte(request):
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")


@login_not_required
@require_GET
def base(request):
    return render(request, "tableaux/bench_base.html", {"titre": "Page de référence"})


@require_GET
def liste(request):
    depart = entier_parametre(request.GET, "depuis")
    with connection.cursor() as cur:
        cur.execute(
            "SELECT id, libelle, categorie, valeur, jour FROM bench_reference WHERE id > %s ORDER BY id LIMIT 50",
            [depart],
        )
        lignes = cur.fetchall()
    return render(request, "tableaux/bench_liste.html", {"titre": "Liste de référence", "lignes": lignes})

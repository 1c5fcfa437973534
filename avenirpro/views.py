from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from avenirpro.acces import perimetre


def accueil(request):
    """Home: the summary of each role's screen (alerts of the chef, parcours followed by a référent or a
    counsellor) with a link to it, then the tiles of everything the user can reach."""
    from avenirpro.tableaux.resume import resume

    p = perimetre(request.user)
    return render(
        request, "avenirpro/accueil.html", {"titre": "Accueil", "perimetre": p, "resumes": resume(request.user, p)}
    )


@login_not_required
@never_cache
def healthz(request):
    """200 as long as the database answers; a Redis outage is reported as "degraded", not as a failure."""
    etat = {"database": "ok", "broker": "ok"}
    status = 200
    try:
        with connection.cursor() as cur:
            cur.execute("SELECT 1")
    except Exception:
        etat["database"] = "down"
        status = 503
    etat["broker"] = etat_courtier()
    return JsonResponse(etat, status=status)


def etat_courtier() -> str:
    from avenirpro.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=0, timeout=1)
        return "ok"
    except Exception:
        return "degraded"


@require_POST
def session_prolonger(request):
    # The session middleware has already refreshed the idle timer on this request.
    return HttpResponse(status=204)


@login_not_required
def page_statique(request, gabarit, titre):
    return render(request, gabarit, {"titre": titre})

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_GET, require_POST

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


@login_not_required
@require_GET
@cache_control(max_age=86400, public=True)
def robots(request):
    """The site holds nothing for search engines: every robot is asked to index nothing."""
    return HttpResponse("User-agent: *\nDisallow: /\n", content_type="text/plain; charset=utf-8")


def adresse_de_connexion(request):
    """In place of allauth's e-mail management page: the login address is the one the invitation was sent to and
    is changed by an administrator only. allauth's page would record an unverified address, after which it refuses
    to enrol the double authentication that the middleware requires — a loop (issue 13, F6)."""
    messages.info(
        request,
        "Votre adresse de connexion est celle de votre invitation ; "
        "pour la changer, adressez-vous à un administrateur.",
    )
    return redirect("administration:mon_compte")

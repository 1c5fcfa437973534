from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_GET, require_POST

from avenirpro.acces import perimetre


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


# --- Pages d'erreur (403, 404, 500, échec CSRF) : en français, dans la mise en page du site, avec un chemin de retour.


def _retour(request) -> str | None:
    """The page the visitor came from, when it is one of ours (never an outside address)."""
    from django.utils.http import url_has_allowed_host_and_scheme

    precedente = request.META.get("HTTP_REFERER", "")
    if precedente and url_has_allowed_host_and_scheme(
        precedente, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return precedente
    return None


def _page_erreur(request, gabarit: str, statut: int):
    return render(request, gabarit, {"retour": _retour(request)}, status=statut)


@login_not_required
def erreur_403(request, exception=None):
    return _page_erreur(request, "403.html", 403)


@login_not_required
def erreur_404(request, exception=None):
    return _page_erreur(request, "404.html", 404)


@login_not_required
def erreur_csrf(request, reason=""):
    """CSRF_FAILURE_VIEW: usually a form left open past the session, or a page opened in two tabs."""
    return _page_erreur(request, "403_csrf.html", 403)


@login_not_required
def erreur_500(request):
    """Rendered without any context processor nor database read: the failure may be the database itself."""
    from django.http import HttpResponseServerError
    from django.template import loader

    return HttpResponseServerError(loader.get_template("500.html").render())


def ressources(request):
    """Resources for every account: national ones and those of the user's académie."""
    from itertools import groupby

    from avenirpro.models import Ressource
    from avenirpro.ressources import ressources_pour

    libelles = dict(Ressource.Categorie.choices)
    groupes = [
        (libelles.get(cle, cle), list(items))
        for cle, items in groupby(ressources_pour(request.user), lambda r: r.categorie)
    ]
    return render(
        request,
        "avenirpro/ressources.html",
        {"titre": "Ressources", "groupes": groupes, "peut_modifier": perimetre(request.user).admin},
    )


# Acronyms of the scheme, explained once (glossary page) and in `<abbr title>` where they appear.
GLOSSAIRE = [
    ("BMA", "Brevet des métiers d'art", "Diplôme professionnel de niveau 4, comme le bac pro."),
    (
        "CEJ",
        "Contrat d'engagement jeune",
        "Accompagnement intensif vers l'emploi, par la mission locale ou France Travail.",
    ),
    (
        "CIO",
        "Centre d'information et d'orientation",
        "Service de l'Éducation nationale qui conseille sur l'orientation.",
    ),
    ("DTMS", "Diplôme de technicien des métiers du spectacle", "Diplôme professionnel de niveau 4."),
    (
        "FOQUALE",
        "Formation qualification emploi",
        "Réseau d'établissements qui propose des solutions de retour en formation.",
    ),
    ("INE", "Identifiant national élève", "Onze caractères (chiffres et lettres majuscules) propres à chaque élève."),
    (
        "MEF",
        "Module élémentaire de formation",
        "Code de la formation suivie : APRO PLUS 3 (après un CAP), APRO PLUS 4 (après bac pro, BMA ou DTMS).",
    ),
    (
        "MLDS",
        "Mission de lutte contre le décrochage scolaire",
        "Ses coordonnateurs proposent des actions de remobilisation et de remédiation.",
    ),
    (
        "MOREA",
        "Module de repréparation de l'examen par alternance",
        "Pour repasser l'examen ; proposé en priorité aux candidats ajournés.",
    ),
    (
        "PFMP",
        "Période de formation en milieu professionnel",
        "Stage en entreprise ; au plus les deux tiers de la durée du parcours.",
    ),
    (
        "PSAD",
        "Plateforme de suivi et d'appui aux décrocheurs",
        "Réunit les partenaires locaux qui proposent des solutions aux jeunes sans solution.",
    ),
    ("TRE", "Techniques de recherche d'emploi", "Ateliers : CV, lettre, entretien d'embauche."),
]


def glossaire(request):
    return render(request, "avenirpro/glossaire.html", {"titre": "Glossaire", "termes": GLOSSAIRE})

import time

from django.conf import settings
from django.urls import NoReverseMatch, reverse

from avenirpro.acces import perimetre
from avenirpro.models import Role

# (url name, label, predicate on the user's Perimetre). Apps add their screens here.
MENU = [
    ("accueil", "Accueil", lambda p: True),
    ("tableaux:chef", "Tableau de bord", lambda p: bool(p.chef)),
    ("tableaux:referent", "Mes jeunes", lambda p: bool(p.referent)),
    ("tableaux:conseiller", "Mes jeunes (mission locale)", lambda p: bool(p.missions_locales)),
    ("eleves:liste", "Jeunes sans solution", lambda p: bool(p.chef)),
    ("entretiens:reunions", "Réunions et entretiens", lambda p: bool(p.chef or p.couverts or p.psy_mlds)),
    ("parcours:liste", "Parcours", lambda p: bool(p.chef)),
    ("parcours:appel", "Faire l'appel", lambda p: bool(p.chef or p.referent or p.missions_locales)),
    ("parcours:offre", "Offre locale", lambda p: bool(p.chef or p.referent or p.missions_locales)),
    ("parcours:evenements", "Événements", lambda p: bool(p.chef or p.referent or p.missions_locales)),
    ("annuaire:index", "Annuaire", lambda p: bool(p.chef or p.referent or p.missions_locales or p.psy_mlds)),
    ("ressources", "Ressources", lambda p: True),
    ("tableaux:pilotage", "Pilotage", lambda p: bool(p.pilotage or p.chef)),
    ("administration:accueil", "Administration", lambda p: bool(p.admin or p.chef or p.missions_locales_responsable)),
]


def navigation(request):
    """The menu, the user's roles and the search flag. A dashboard renders twice per request (its main block, kept in
    the cache, then the page around it): computed once per request and user."""
    user = getattr(request, "user", None)
    cle = (getattr(user, "pk", None), request.path)
    memo = getattr(request, "_navigation", None)
    if memo is not None and memo[0] == cle:
        return memo[1]
    valeurs = _navigation(request, user)
    request._navigation = (cle, valeurs)
    return valeurs


def _navigation(request, user):
    if user is None or not user.is_authenticated:
        return {
            "nav_items": [],
            "nav_roles": [],
            "nav_recherche": False,
            "session_idle_seconds": settings.SESSION_IDLE_SECONDS,
        }
    p = perimetre(user)
    items = []
    for name, label, visible in MENU:
        if not visible(p):
            continue
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        items.append({"url": url, "libelle": label, "actif": request.path == url})
    roles = [Role(r).label for r in sorted(p.roles)]
    from avenirpro.acces import peut_rechercher

    return {
        "nav_items": items,
        "nav_roles": roles,
        "nav_recherche": peut_rechercher(p),
        "session_idle_seconds": settings.SESSION_IDLE_SECONDS,
    }


# DSFR site settings per language, kept one minute in each process (read on every page, edited in the admin a few
# times a year); an edit in this process forgets them at once (`oublier_config`, connected to DsfrConfig's signals).
DUREE_CONFIG = 60
_configs: dict[str, tuple[float, object]] = {}


def oublier_config(**kwargs) -> None:
    _configs.clear()


def site_config(request):
    """DSFR site settings (title, brand…), replacing dsfr's processor: it matches `fr` and `fr-fr` alike and puts the
    row back if it is missing (a truncated table must not turn the header into DSFR's placeholders)."""
    from django.utils.translation import get_language
    from dsfr.models import DsfrConfig

    from avenirpro.donnees_reference import creer_config_site

    langue = (get_language() or "fr").split("-")[0]
    entree = _configs.get(langue)
    if entree is not None and entree[0] > time.monotonic():
        return {"SITE_CONFIG": entree[1]}
    config = DsfrConfig.objects.filter(language=langue).first()
    if config is None:
        creer_config_site(DsfrConfig)
        config = DsfrConfig.objects.filter(language="fr").first()
    _configs[langue] = (time.monotonic() + DUREE_CONFIG, config)
    return {"SITE_CONFIG": config}

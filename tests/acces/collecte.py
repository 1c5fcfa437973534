"""Shared by the access matrix and the canary test: collect every `Cas` of every `tests/<app>/matrice.py`,
walk the project's URL patterns, and fingerprint the project's tables."""

from __future__ import annotations

import importlib
import pkgutil

from django.apps import apps
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver

# Routes that are not the project's own screens (allauth, the technical Django admin, files).
PREFIXES_EXCLUS = ("comptes/", "admin-technique/", "static/", "media/")
# Views marked `login_not_required`: they must be listed here, so that nobody opens a page to the public by mistake.
PUBLIQUES = {
    "healthz",
    "robots",
    "donnees_personnelles",
    "accessibilite",
    "mentions_legales",
    "administration:invitation",
    "parcours:ics",
    "devenir:reponse",
    "devenir:espace",
}


def collecter_cas():
    """[(identifier, Cas)] from every `tests.<package>.matrice` module (pkgutil over the tests package)."""
    import tests

    sortie = []
    for info in sorted(pkgutil.iter_modules(tests.__path__), key=lambda m: m.name):
        if not info.ispkg:
            continue
        nom = f"tests.{info.name}.matrice"
        try:
            module = importlib.import_module(nom)
        except ModuleNotFoundError as e:
            if e.name == nom:
                continue
            raise
        for i, cas in enumerate(getattr(module, "CAS", [])):
            sortie.append((f"{info.name}-{i:03d}-{cas.methode}-{cas.url}", cas))
    return sortie


def motifs_url(resolver=None, prefixe="", namespace=None):
    """Every URL pattern of the project: (route, full name, view)."""
    resolver = resolver or get_resolver()
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            ns = namespace
            if p.namespace:
                ns = f"{namespace}:{p.namespace}" if namespace else p.namespace
            yield from motifs_url(p, prefixe + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            nom = p.name and (f"{namespace}:{p.name}" if namespace else p.name)
            yield prefixe + str(p.pattern), nom, p.callback


def est_publique(vue) -> bool:
    return getattr(vue, "login_required", True) is False


def urls_a_couvrir():
    """(route, name) of every project URL that must appear in a Cas; raises on unnamed or undeclared public views."""
    sortie, problemes = [], []
    for route, nom, vue in motifs_url():
        if route.startswith(PREFIXES_EXCLUS) or route.startswith("^static") or route.startswith("^media"):
            continue
        if est_publique(vue):
            if nom not in PUBLIQUES:
                problemes.append(f"vue publique non déclarée : {route} ({nom})")
            continue
        if not nom:
            problemes.append(f"URL sans nom : {route}")
            continue
        sortie.append((route, nom))
    return sortie, problemes


def _modeles_du_projet():
    base = str(settings.BASE_DIR)
    return [
        m
        for m in apps.get_models()
        if m._meta.app_config.path.startswith(base) and ".venv" not in m._meta.app_config.path and m._meta.managed
    ]


def empreinte_base() -> dict[str, str]:
    """A hash of every row of every table of the project's apps (computed by PostgreSQL in one query):
    equal before and after ⇒ nothing changed."""
    from django.db import connection

    modeles = _modeles_du_projet()
    parties = [
        "SELECT %s, md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) "
        f"FROM {connection.ops.quote_name(m._meta.db_table)} t"
        for m in modeles
    ]
    with connection.cursor() as cur:
        cur.execute(" UNION ALL ".join(parties), [m._meta.label for m in modeles])
        return dict(cur.fetchall())

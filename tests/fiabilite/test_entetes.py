"""Security headers, CSP without unsafe-inline scripts, upload limits, no open redirect (docs/scorecard.md)."""

import re
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.urls import NoReverseMatch, reverse

from tests.conftest import MOT_DE_PASSE
from tests.fiabilite.scorecard import consigner

pytestmark = pytest.mark.django_db


def _directives(csp: str) -> dict[str, list[str]]:
    out = {}
    for partie in csp.split(";"):
        mots = partie.split()
        if mots:
            out[mots[0]] = mots[1:]
    return out


def _verifier_entetes(r) -> dict:
    csp = r.headers.get("Content-Security-Policy", "")
    d = _directives(csp)
    script = d.get("script-src", d.get("default-src", []))
    html = r.content.decode()
    nonce = next((m[len("'nonce-") : -1] for m in script if m.startswith("'nonce-")), None)
    balises = re.findall(r"<script\b[^>]*>", html)
    # A script is allowed by 'self' (same-origin src) or by this response's nonce; nothing else may run.
    sans_nonce = [
        b for b in balises if not re.search(r'\ssrc="/(?!/)', b) and (nonce is None or f'nonce="{nonce}"' not in b)
    ]
    en_ligne = re.findall(r"<script\b(?![^>]*\bsrc=)[^>]*>\s*\S", html)
    attributs_evenements = re.findall(r"\son(?:click|load|error|submit|change)\s*=", html, flags=re.I)
    return {
        "csp": bool(csp),
        "csp_sans_unsafe_inline_scripts": "'unsafe-inline'" not in script and "'unsafe-eval'" not in script,
        # django-csp only adds a nonce when the page uses one.
        "csp_nonce": nonce is not None or not any("nonce=" in b for b in balises),
        "object_src_none": d.get("object-src") == ["'none'"],
        "frame_ancestors_none": d.get("frame-ancestors") == ["'none'"],
        "base_uri": bool(d.get("base-uri")),
        "scripts_sans_nonce": len(sans_nonce),
        "scripts_en_ligne": len(en_ligne),
        "attributs_evenements": len(attributs_evenements),
        "nosniff": r.headers.get("X-Content-Type-Options") == "nosniff",
        "x_frame_options": r.headers.get("X-Frame-Options") == "DENY",
        "referrer_policy": bool(r.headers.get("Referrer-Policy")),
        "coop": r.headers.get("Cross-Origin-Opener-Policy") == "same-origin",
        "no_store": "no-store" in r.headers.get("Cache-Control", ""),
    }


def test_entetes_de_securite_et_csp(client, cast):
    pages = {"connexion": (None, reverse("account_login")), "accessibilite": (None, reverse("accessibilite"))}
    pages["accueil"] = (cast.chef_a, reverse("accueil"))
    resultats = {}
    for nom, (user, url) in pages.items():
        if user:
            client.force_login(user)
        r = client.get(url)
        assert r.status_code == 200, nom
        e = _verifier_entetes(r)
        resultats[nom] = e
        for cle in (
            "csp",
            "csp_sans_unsafe_inline_scripts",
            "csp_nonce",
            "object_src_none",
            "frame_ancestors_none",
            "base_uri",
            "nosniff",
            "x_frame_options",
            "referrer_policy",
            "coop",
        ):
            assert e[cle], f"{nom} : {cle}"
        if user:
            assert e["no_store"], f"{nom} : Cache-Control no-store"
        assert e["scripts_sans_nonce"] == 0 and e["scripts_en_ligne"] == 0 and e["attributs_evenements"] == 0, nom
    # Two requests never share a nonce.
    n1 = _directives(client.get(reverse("accueil")).headers["Content-Security-Policy"])["script-src"]
    n2 = _directives(client.get(reverse("accueil")).headers["Content-Security-Policy"])["script-src"]
    assert n1 != n2
    consigner(
        "entetes",
        {
            "pages": len(resultats),
            "csp_ok": sum(
                all(e[k] for k in ("csp", "csp_sans_unsafe_inline_scripts", "csp_nonce")) for e in resultats.values()
            ),
            "nosniff_ok": sum(e["nosniff"] for e in resultats.values()),
            "no_store_authentifie": resultats["accueil"]["no_store"],
        },
    )


def test_healthz_json_nosniff(client):
    r = client.get("/healthz")
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert r.headers["Content-Type"].startswith("application/json")


# --- Oversized requests and uploads -------------------------------------------------------------------------


def test_corps_trop_gros_refuse_sans_erreur_serveur(client, cast):
    trop = settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1
    r = client.post(
        reverse("account_login"), data=b"a=" + b"x" * trop, content_type="application/x-www-form-urlencoded"
    )
    assert r.status_code == 400
    champs = "&".join(f"c{i}=1" for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1))
    r2 = client.post(reverse("account_login"), data=champs, content_type="application/x-www-form-urlencoded")
    assert r2.status_code == 400
    consigner("requetes_trop_grosses", {"corps_trop_gros": r.status_code, "trop_de_champs": r2.status_code})


# Upload screens built by other areas are picked up here as soon as their URL exists.
URLS_DEPOT = ["eleves:importer", "parcours:offre_importer"]


def test_depots_limites_en_taille_et_en_type(client, cast):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from eleves.models import Jeune

    assert settings.IMPORT_MAX_BYTES <= 50 * 1024 * 1024
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE <= settings.IMPORT_MAX_BYTES
    client.force_login(cast.chef_a)
    testees = 0
    for nom in URLS_DEPOT:
        try:
            url = reverse(nom)
        except NoReverseMatch:
            continue
        avant = Jeune.objects.count()
        gros = SimpleUploadedFile("eleves.csv", b"x" * (settings.IMPORT_MAX_BYTES + 1), content_type="text/csv")
        r = client.post(url, {"fichier": gros})
        assert r.status_code < 500 and Jeune.objects.count() == avant, nom
        faux = SimpleUploadedFile("eleves.csv", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", content_type="text/csv")
        r = client.post(url, {"fichier": faux})
        assert r.status_code < 500 and Jeune.objects.count() == avant, nom
        testees += 1
    assert testees == len(URLS_DEPOT)
    consigner("depots", {"urls_de_depot_testees": testees, "import_max_octets": settings.IMPORT_MAX_BYTES})


# --- Open redirect after login ------------------------------------------------------------------------------

CHARGES = [
    "//evil.example",
    "https://evil.example",
    "http://evil.example/",
    "/\\evil.example",
    "\\\\evil.example",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "%2F%2Fevil.example",
    "/%2F%2Fevil.example",
    "https:evil.example",
    "//evil.example@testserver",
    "https://testserver@evil.example",
    " //evil.example",
    "\t//evil.example",
    "/%09/evil.example",
    "data:text/html,<script>alert(1)</script>",
]


def _hors_site(location: str) -> bool:
    loc = location.strip().replace("\\", "/")
    parts = urlsplit(loc)
    if parts.scheme and parts.scheme.lower() not in ("http", "https"):
        return True
    if loc.startswith("//") or parts.netloc not in ("", "testserver"):
        return True
    return False


def test_pas_de_redirection_ouverte_apres_connexion(client, cast):
    hors_site = []
    for charge in CHARGES:
        r = client.post(
            reverse("account_login") + "?next=" + charge,
            {"login": cast.chef_a.email, "password": MOT_DE_PASSE, "next": charge},
        )
        assert r.status_code == 302, charge
        assert "_auth_user_id" in client.session
        if _hors_site(r["Location"]):
            hors_site.append(("connexion", charge, r["Location"]))
        r = client.post(reverse("account_logout"), {"next": charge})
        if _hors_site(r.get("Location", "/")):
            hors_site.append(("déconnexion", charge, r["Location"]))
    consigner("redirections", {"charges": len(CHARGES), "essais": 2 * len(CHARGES), "hors_site": len(hors_site)})
    assert not hors_site

"""Accessibility (docs/scorecard.md): axe-core on every page of the main journeys, keyboard-only paths.

The page list grows by itself: login and legal pages, then for the chef, the référent and the counsellor the home
page, every menu entry and every GET case of every `tests/*/matrice.py` that the member may read.
axe-core comes from npm (package.json, `npm ci`), injected with `page.add_script_tag(path=…)`; the browser
context bypasses the CSP for that injected script only (the app's own CSP is tested in tests/fiabilite).
"""

from pathlib import Path

import pytest
from django.urls import NoReverseMatch, reverse
from playwright.sync_api import Error as PlaywrightError

from tests.fiabilite.pages import cas_de_la_matrice
from tests.fiabilite.scorecard import consigner
from tests.matrice import construire_scenario

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

RACINE = Path(__file__).resolve().parents[2]
AXE = RACINE / "node_modules" / "axe-core" / "axe.min.js"
GRAVES = {"serious", "critical"}
MEMBRES_PARCOURUS = ["chef_a", "referent_a", "conseiller_a"]
PAGES_PUBLIQUES = ["account_login", "accessibilite", "donnees_personnelles", "mentions_legales"]
TYPES_TELECHARGES = {"pdf", "export", "csv", "xlsx", "ics", "zip"}


def pages_du_membre(scenario, membre: str) -> list[tuple[str, str]]:
    """(label, url) of the pages a member reaches by GET: home, menu, readable matrix cases."""
    from avenirpro.acces import perimetre
    from avenirpro.context_processors import MENU

    user = getattr(scenario, membre)
    p = perimetre(user)
    pages = {"accueil": reverse("accueil")}
    for nom, _libelle, visible in MENU:
        try:
            if visible(p):
                pages[nom] = reverse(nom)
        except NoReverseMatch:
            continue
    for cas in cas_de_la_matrice():
        if cas.methode != "get" or cas.action not in ("read", "list", "") or membre not in cas.autorises:
            continue
        if cas.type in TYPES_TELECHARGES:
            continue  # files (PDF, CSV…), not pages
        try:
            pages.setdefault(cas.url, reverse(cas.url, kwargs=cas.kwargs(scenario)))
        except NoReverseMatch:
            continue
    return list(pages.items())


def _axe(page) -> list[dict]:
    # Loaded before the page's own scripts by the context (`page_axe`: measured 150 ms a page less than sending the
    # 500 KB script at each page); injected here for a page opened otherwise.
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    return page.evaluate(
        """async () => {
            const r = await axe.run(document, {resultTypes: ['violations']});
            return r.violations.map(v => ({id: v.id, impact: v.impact, noeuds: v.nodes.length,
                                           cible: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
        }"""
    )


def _connecter(page, live_server, user):
    from tests.conftest import MOT_DE_PASSE

    page.context.clear_cookies()
    page.goto(f"{live_server.url}{reverse('account_login')}")
    page.get_by_label("Courriel").fill(user.email)
    page.get_by_label("Mot de passe").fill(MOT_DE_PASSE)
    page.get_by_role("button", name="Connexion").click()
    page.wait_for_url(f"{live_server.url}/")


@pytest.fixture
def page_axe(browser):
    contexte = browser.new_context(bypass_csp=True, locale="fr-FR", timezone_id="Europe/Paris")
    contexte.add_init_script(path=str(AXE))
    page = contexte.new_page()
    yield page
    contexte.close()


def test_axe_sans_violation_grave_sur_les_parcours_principaux(page_axe, live_server, cast, donnees_reference):
    assert AXE.exists(), "axe-core manque : lancer `npm ci --no-audit --no-fund` (fait par `make test`)"
    s = construire_scenario(cast)
    page = page_axe
    resultats = {}

    def auditer(label, url):
        try:
            reponse = page.goto(f"{live_server.url}{url}")
        except PlaywrightError as e:
            # A download (CSV, XLSX, PDF, ICS) is not a page to audit; its answer is still checked.
            if "Download is starting" not in str(e):
                raise
            essai = page.request.get(f"{live_server.url}{url}", max_redirects=0)
            assert essai.status < 400, (label, url, essai.status)
            return
        assert reponse is not None and reponse.status < 400, (label, url, reponse and reponse.status)
        # A redirection (to the page it leads to, audited under its own name) or a file shown inline: not audited.
        type_de_contenu = reponse.headers.get("content-type") or ""
        if reponse.request.redirected_from is not None or "text/html" not in type_de_contenu:
            return
        violations = _axe(page)
        resultats[label] = {
            "url": url,
            "violations": len(violations),
            "graves": [v for v in violations if v["impact"] in GRAVES],
            "autres": sorted({v["id"] for v in violations if v["impact"] not in GRAVES}),
        }

    for nom in PAGES_PUBLIQUES:
        auditer(f"anonyme · {nom}", reverse(nom))
    for membre in MEMBRES_PARCOURUS:
        _connecter(page, live_server, getattr(s, membre))
        for nom, url in pages_du_membre(s, membre):
            auditer(f"{membre} · {nom}", url)
    page.screenshot(path="test-results/accessibilite-derniere-page.png", full_page=True)
    # Positive control: the probe does find a serious violation when there is one.
    page.set_content(
        '<!doctype html><html lang="fr"><head><title>t</title></head><body><main>'
        '<img src="/static/x.png"><input type="text"></main></body></html>'
    )
    controle = {v["id"] for v in _axe(page) if v["impact"] in GRAVES}
    assert {"image-alt", "label"} <= controle, controle

    graves = {label: r["graves"] for label, r in resultats.items() if r["graves"]}
    consigner(
        "axe",
        {
            "pages": len(resultats),
            "violations_graves": sum(len(v) for v in graves.values()),
            "violations_mineures_ou_moderees": sum(len(r["autres"]) for r in resultats.values()),
            "par_page": {
                label: {
                    "url": r["url"],
                    "graves": [f"{v['id']} ({v['impact']}, {v['noeuds']} élément(s))" for v in r["graves"]],
                    "autres": r["autres"],
                }
                for label, r in resultats.items()
            },
        },
    )
    assert len(resultats) >= len(PAGES_PUBLIQUES) + len(MEMBRES_PARCOURUS)
    assert not graves, graves


def _tab_jusqu_a(page, predicat_js: str, maximum: int = 40) -> int:
    for n in range(1, maximum + 1):
        page.keyboard.press("Tab")
        if page.evaluate(predicat_js):
            return n
    raise AssertionError(f"élément jamais atteint au clavier : {predicat_js}")


def test_connexion_au_clavier_seulement(page, live_server, cast, donnees_reference):
    page.goto(f"{live_server.url}{reverse('account_login')}")
    # The first Tab reaches the skip link «Contenu», Enter moves to the main content.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Contenu"
    page.keyboard.press("Enter")
    assert page.url.endswith("#content")
    tabs = _tab_jusqu_a(page, "document.activeElement.name === 'login'")
    page.keyboard.type(cast.chef_a.email)
    tabs += _tab_jusqu_a(page, "document.activeElement.name === 'password'", maximum=3)
    from tests.conftest import MOT_DE_PASSE

    page.keyboard.type(MOT_DE_PASSE)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Bonjour")
    # Focus is visible on the first link of the page (DSFR focus ring: a non-empty outline).
    page.keyboard.press("Tab")
    contour = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    page.screenshot(path="test-results/connexion-clavier.png")
    consigner("clavier_connexion", {"ok": True, "tabulations": tabs + 1, "contour_focus": contour})
    assert contour not in ("", "none")


# Keyboard paths of the screens built by other areas: found in the access matrix (URL names containing these words,
# readable by the member), else by their expected names; run as soon as they exist in the branch.
PARCOURS_CLAVIER = [
    ("liste de travail", "chef_a", ("eleves:liste", "tableaux:chef"), ("liste", "travail")),
    ("emploi du temps", "referent_a", ("parcours:emploi_du_temps",), ("emploi_du_temps", "edt", "planning")),
    ("assiduité", "referent_a", ("parcours:presences", "parcours:assiduite"), ("presence", "assiduite", "appel")),
    # Always present: proves the keyboard routine itself on a form page of this branch.
    ("effacement RGPD", "chef_a", (), ("rgpd:effacer",)),
]


def _url_du_parcours(s, membre, noms, mots):
    for cas in cas_de_la_matrice():
        if (
            cas.methode == "get"
            and membre in cas.autorises
            and cas.type not in TYPES_TELECHARGES
            and any(m in cas.url for m in mots)
        ):
            try:
                return reverse(cas.url, kwargs=cas.kwargs(s))
            except NoReverseMatch:
                continue
    for nom in noms:
        try:
            return reverse(nom)
        except NoReverseMatch:
            continue
    return None


def test_ecrans_de_travail_au_clavier(page, live_server, cast, donnees_reference):
    s = construire_scenario(cast)
    faits = {}
    for libelle, membre, noms, mots in PARCOURS_CLAVIER:
        url = _url_du_parcours(s, membre, noms, mots)
        if url is None:
            faits[libelle] = "absent de la branche"
            continue
        _connecter(page, live_server, getattr(s, membre))
        page.goto(f"{live_server.url}{url}")
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.textContent.trim()") == "Contenu", libelle
        page.keyboard.press("Enter")
        # From the main content, every interactive element is reached by Tab with an accessible name.
        sans_nom = page.evaluate(
            """() => [...document.querySelectorAll('#content a[href], #content button,'
                    + ' #content input:not([type=hidden]), #content select, #content textarea')]
                 .filter(e => !e.disabled && e.offsetParent !== null)
                 .filter(e => !(e.getAttribute('aria-label') || e.labels?.length || e.textContent.trim()
                               || e.getAttribute('title'))).length"""
        )
        assert sans_nom == 0, libelle
        faits[libelle] = "ok"
    consigner("clavier_ecrans", {"ecrans": faits})
    assert faits["effacement RGPD"] == "ok"


# The young person's record and the screens leading to it (issue «every name leads to the record»), audited at
# 1280 px and on a 390 px phone, with the role that uses each of them.
PAGES_DU_DOSSIER = [
    ("referent_a", "tableaux:referent", None),
    ("referent_a", "eleves:detail", "jeune"),
    ("referent_a", "eleves:modifier", "jeune"),
    ("chef_a", "eleves:modifier", "jeune"),
    ("conseiller_a", "eleves:suivis", None),
    ("conseiller_a", "eleves:detail", "jeune"),
]


def test_axe_sans_violation_grave_sur_le_dossier_du_jeune_a_1280_et_390_px(
    page_axe, live_server, cast, donnees_reference
):
    s = construire_scenario(cast)
    page = page_axe
    graves, audites = {}, 0
    for membre in dict.fromkeys(m for m, _, _ in PAGES_DU_DOSSIER):
        _connecter(page, live_server, getattr(s, membre))
        for _m, nom, objet in (c for c in PAGES_DU_DOSSIER if c[0] == membre):
            url = reverse(nom, kwargs={"uuid": s.jeune_a.uuid} if objet else None)
            for largeur in (1280, 390):
                page.set_viewport_size({"width": largeur, "height": 900})
                reponse = page.goto(f"{live_server.url}{url}")
                assert reponse is not None and reponse.status == 200, (membre, nom, reponse and reponse.status)
                trouvees = [v for v in _axe(page) if v["impact"] in GRAVES]
                audites += 1
                if trouvees:
                    graves[f"{membre} · {nom} · {largeur} px"] = trouvees
    page.screenshot(path="test-results/accessibilite-dossier-390.png", full_page=True)
    consigner("axe_dossier", {"pages": audites, "violations_graves": sum(len(v) for v in graves.values())})
    assert audites == 2 * len(PAGES_DU_DOSSIER)
    assert not graves, graves

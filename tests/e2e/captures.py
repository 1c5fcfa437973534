"""Screenshots at 1280 px and 390 px with an axe-core audit at each width, for the browser tests of the screens.

Use the `page_csp_libre` fixture (a context that lets the injected axe-core script run; the app's own CSP is tested
in tests/fiabilite) and `capturer(page, "nom")`: it returns the serious or critical violations found, to assert empty.
"""

import pytest

from tests.e2e.test_accessibilite import AXE, GRAVES, _axe

LARGEURS = {"1280": {"width": 1280, "height": 900}, "390": {"width": 390, "height": 844}}


@pytest.fixture
def page_csp_libre(browser):
    contexte = browser.new_context(
        bypass_csp=True, locale="fr-FR", timezone_id="Europe/Paris", viewport=LARGEURS["1280"]
    )
    page = contexte.new_page()
    yield page
    contexte.close()


def capturer(page, nom: str) -> list[dict]:
    """Screenshot `test-results/<nom>-1280.png` and `-390.png`; axe-core at both widths."""
    assert AXE.exists(), "axe-core manque : lancer `npm ci --no-audit --no-fund`"
    graves = []
    for largeur, taille in LARGEURS.items():
        page.set_viewport_size(taille)
        page.screenshot(path=f"test-results/{nom}-{largeur}.png", full_page=True)
        graves += [dict(v, largeur=largeur) for v in _axe(page) if v["impact"] in GRAVES]
    page.set_viewport_size(LARGEURS["1280"])
    return graves

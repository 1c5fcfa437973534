"""The DSFR utility CSS served on every page is the generated subset (avenirpro/css_dsfr.py, issue 20): up to date,
holding every `fr-icon-*` class the templates use, and far smaller than the DSFR's utility.min.css."""

import re

from django.template.loader import render_to_string

from avenirpro import css_dsfr


def test_les_fichiers_generes_sont_a_jour():
    assert css_dsfr.cible().read_text(encoding="utf-8") == css_dsfr.generer(), (
        "static/css/dsfr-utilitaires.css n'est pas à jour : lancez `python manage.py css_dsfr`."
    )
    assert css_dsfr.cible_dsfr().read_text(encoding="utf-8") == css_dsfr.generer_dsfr(), (
        "static/css/dsfr-reduit.css n'est pas à jour : lancez `python manage.py css_dsfr`."
    )


def test_la_feuille_dsfr_garde_les_composants_utilises_et_leurs_etats():
    css = css_dsfr.cible_dsfr().read_text(encoding="utf-8")
    # States the DSFR's script adds (`<component>--<state>`, the name built at run time): without `fr-modal--opened`
    # the header's search box never opened on a phone (tests/eleves/test_e2e_recherche.py).
    for classe in (
        "fr-header",
        "fr-btn",
        "fr-input",
        "fr-alert--error",
        "fr-table",
        "fr-collapse--expanded",
        "fr-modal--opened",
    ):
        assert f".{classe}" in css, classe
    assert "@font-face" in css and "Marianne" in css
    assert len(css.encode()) < css_dsfr.SOURCE_DSFR.stat().st_size * 0.6


def test_chaque_icone_des_gabarits_est_dans_la_feuille():
    css = css_dsfr.cible().read_text(encoding="utf-8")
    definies = set(re.findall(r"\.(fr-icon-[a-z0-9-]+)(?=[:,{ ])", css))
    utilisees = set()
    for fichier in css_dsfr.fichiers_sources():
        if fichier.suffix == ".html" and "site-packages" not in str(fichier):
            utilisees |= set(re.findall(r"fr-icon-[a-z0-9]+(?:-[a-z0-9]+)*", fichier.read_text(encoding="utf-8")))
    assert utilisees, "aucune icône trouvée dans les gabarits"
    assert utilisees <= definies, f"icônes absentes de la feuille : {sorted(utilisees - definies)}"
    # The icons' images are rewritten relative to static/css/ and exist in the DSFR distribution.
    for url in re.findall(r"url\(([^)]+)\)", css):
        assert (css_dsfr.cible().parent / url).resolve().exists() or (
            css_dsfr.DSFR / "static" / "css" / url
        ).resolve().exists(), url


def test_la_feuille_est_petite_et_remplace_utility_min_css():
    assert len(css_dsfr.cible().read_bytes()) < 30_000 < css_dsfr.SOURCE.stat().st_size
    html = render_to_string("dsfr/global_css.html")
    assert "utility.min.css" not in html and "css/dsfr-utilitaires.css" in html
    # The main sheet is the reduced one too; the DSFR's whole sheet is not served.
    assert "css/dsfr-reduit.css" in html and "dsfr.min.css" not in html


def test_les_classes_de_chaque_application_sont_lues():
    """Every application of the project is read for class names, the newer ones included, and a BEM element class
    is read whole: `fr-nav__link` was read as `fr-nav`, so the reduced sheet lost the colour of the current page's
    link in the menu (axe-core, tests/documents/test_e2e_documents.py)."""
    from django.apps import apps

    lus = {str(p) for p in css_dsfr.fichiers_sources()}
    for app in ("documents", "devenir", "tableaux", "rgpd", "administration", "notifications"):
        assert any(p.startswith(apps.get_app_config(app).path + "/") for p in lus), app
    assert css_dsfr.CLASSE.findall('<a class="fr-nav__link fr-btn--secondary fr-col-md-4">') == [
        "fr-nav__link",
        "fr-btn--secondary",
        "fr-col-md-4",
    ]
    css = css_dsfr.cible_dsfr().read_text(encoding="utf-8")
    assert ".fr-nav__link[aria-current]:not([aria-current=false]){color:var(--text-active-blue-france)}" in css
    # A class built in Python from a value (the alert badges of tableaux/vues.py: `fr-badge--{}`) keeps its family.
    assert css_dsfr.PREFIXE_DYNAMIQUE.findall('format_html(\'<p class="fr-badge--{}">\', f"fr-alert--{n}")') == [
        "fr-badge--",
        "fr-alert--",
    ]
    assert ".fr-badge--info{" in css and ".fr-badge--warning{" in css

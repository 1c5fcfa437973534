"""The DSFR utility classes this project uses, and only them (issue 20, «pages légères»).

`utility.min.css` of the DSFR (459 KB: every icon, every colour utility) is replaced on every page by
`static/css/dsfr-utilitaires.css`, made from it here: a rule of the DSFR file is kept when its selector names only
classes that appear in the project's templates, Python and JavaScript files or in django-dsfr's templates (generic
rules with no class, such as `[class*=" fr-icon-"]::before`, are kept as they are). The icons' `url(../icons/…)` are
rewritten relative to the new file, so that the static storage finds, hashes and compresses the SVG files.

The file is generated and committed (`python manage.py css_dsfr`); tests/avenirpro/test_css_dsfr.py fails when it
is out of date or when a `fr-icon-*` class used in a template is missing from it.
"""

from __future__ import annotations

import re
from pathlib import Path

import dsfr
from django.conf import settings

DSFR = Path(dsfr.__file__).resolve().parent
SOURCE = DSFR / "static" / "dsfr" / "dist" / "utility" / "utility.min.css"
CIBLE_RELATIVE = "css/dsfr-utilitaires.css"
# `url(../icons/…)` is relative to dsfr/dist/utility/: from static/css/ the same files are under ../dsfr/dist/.
PREFIXE_URL = "../dsfr/dist/"

CLASSE = re.compile(r"\bfr-[a-z0-9]+(?:[-_][a-z0-9]+)*(?:--[a-z0-9]+(?:-[a-z0-9]+)*)?")
CLASSE_CSS = re.compile(r"\.(fr-[a-zA-Z0-9_-]+)")
EXTENSIONS = {".html", ".txt", ".py", ".js"}


def cible() -> Path:
    return Path(settings.BASE_DIR) / "static" / CIBLE_RELATIVE


def fichiers_sources() -> list[Path]:
    """Where a DSFR class name can be written: the templates, apps and scripts, and django-dsfr's templates."""
    base = Path(settings.BASE_DIR)
    racines = [base / "templates", base / "static" / "js", DSFR / "templates"]
    racines += [base / app for app in ("avenirpro", "eleves", "entretiens", "parcours")]
    fichiers = []
    for racine in racines:
        fichiers += [
            p
            for p in racine.rglob("*")
            if p.suffix in EXTENSIONS and p.is_file() and "migrations" not in p.parts and p != Path(__file__)
        ]
    return sorted(fichiers)


def classes_utilisees() -> set[str]:
    classes = set()
    for fichier in fichiers_sources():
        classes.update(CLASSE.findall(fichier.read_text(encoding="utf-8", errors="ignore")))
    return classes


def _regles(css: str) -> list[tuple[str, str]]:
    """Top-level rules of minified CSS as (prelude, body), @media bodies included raw; comments dropped except /*!."""
    regles, i, n = [], 0, len(css)
    while i < n:
        if css.startswith("/*", i):
            fin = css.index("*/", i) + 2
            if css.startswith("/*!", i):
                regles.append((css[i:fin], ""))
            i = fin
            continue
        ouverture = css.find("{", i)
        if ouverture < 0:
            break
        prelude, profondeur, j = css[i:ouverture].strip(), 1, ouverture + 1
        while profondeur:
            if css[j] == "{":
                profondeur += 1
            elif css[j] == "}":
                profondeur -= 1
            j += 1
        regles.append((prelude, css[ouverture + 1 : j - 1]))
        i = j
    return regles


def _garder_selecteurs(prelude: str, classes: set[str]) -> str:
    gardes = [s for s in prelude.split(",") if all(c in classes for c in CLASSE_CSS.findall(s))]
    return ",".join(gardes)


def _filtrer(css: str, classes: set[str]) -> str:
    sortie = []
    for prelude, corps in _regles(css):
        if prelude.startswith("/*!"):
            sortie.append(prelude)
        elif prelude.startswith("@media") or prelude.startswith("@supports"):
            interieur = _filtrer(corps, classes)
            if interieur:
                sortie.append(f"{prelude}{{{interieur}}}")
        elif prelude.startswith("@"):
            sortie.append(f"{prelude}{{{corps}}}")
        else:
            gardes = _garder_selecteurs(prelude, classes)
            if gardes:
                sortie.append(f"{gardes}{{{corps}}}")
    return "".join(sortie)


def generer() -> str:
    css = _filtrer(SOURCE.read_text(encoding="utf-8"), classes_utilisees())
    css = re.sub(r"url\((['\"]?)\.\./", lambda m: f"url({m.group(1)}{PREFIXE_URL}", css)
    return (
        "/* Généré par `python manage.py css_dsfr` depuis dsfr/dist/utility/utility.min.css : seules les classes "
        "utilisées par les gabarits (avenirpro/css_dsfr.py). Ne pas modifier à la main. */\n" + css + "\n"
    )

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
from django.apps import apps
from django.conf import settings

DSFR = Path(dsfr.__file__).resolve().parent
DSFR_DIST = DSFR / "static" / "dsfr" / "dist"
SOURCE = DSFR_DIST / "utility" / "utility.min.css"
CIBLE_RELATIVE = "css/dsfr-utilitaires.css"
SOURCE_DSFR = DSFR_DIST / "dsfr" / "dsfr.min.css"
CIBLE_DSFR_RELATIVE = "css/dsfr-reduit.css"
# `url(../icons/…)` is relative to dsfr/dist/utility/: from static/css/ the same files are under ../dsfr/dist/.
PREFIXE_URL = "../dsfr/dist/"

# A class with its BEM element (`fr-nav__link`, two underscores) and modifier (`fr-btn--secondary`).
CLASSE = re.compile(r"\bfr-[a-z0-9]+(?:(?:--?|__?)[a-z0-9]+)*")
CLASSE_CSS = re.compile(r"\.(fr-[a-zA-Z0-9_-]+)")
EXTENSIONS = {".html", ".txt", ".py", ".js"}


def cible() -> Path:
    return Path(settings.BASE_DIR) / "static" / CIBLE_RELATIVE


def cible_dsfr() -> Path:
    return Path(settings.BASE_DIR) / "static" / CIBLE_DSFR_RELATIVE


def fichiers_sources() -> list[Path]:
    """Where a DSFR class name can be written: the templates, apps and scripts, and django-dsfr's templates."""
    base = Path(settings.BASE_DIR)
    racines = [base / "templates", base / "static" / "js", DSFR / "templates", DSFR / "templatetags"]
    # Every application of the project (its templates, forms and views), not a list written by hand: a class
    # used only in a newer app's templates (documents, devenir…) would otherwise lose its rules.
    racines += sorted(Path(a.path) for a in apps.get_app_configs() if Path(a.path).parent == base)
    fichiers = []
    for racine in racines:
        fichiers += [
            p
            for p in racine.rglob("*")
            if p.suffix in EXTENSIONS and p.is_file() and "migrations" not in p.parts and p != Path(__file__)
        ]
    fichiers += [p for p in DSFR.glob("*.py")]  # django-dsfr's forms and widgets set classes too
    return sorted(fichiers)


# A class built from a variable, in a template (`fr-alert--{{ niveau }}`, `fr-col-md-{% … %}`) or in Python
# (`format_html('… fr-badge--{} …')`, `f"fr-badge--{niveau}"`): every class of that prefix is kept.
PREFIXE_DYNAMIQUE = re.compile(r"\b(fr-[a-z0-9_-]*[-_])(?=\{[{%}a-z_])")
MOT_JS = re.compile(r"[a-z][a-z0-9]*(?:(?:-{1,2}|__)[a-z0-9]+)*")


def classes_utilisees() -> set[str]:
    classes = set()
    for fichier in fichiers_sources():
        classes.update(CLASSE.findall(fichier.read_text(encoding="utf-8", errors="ignore")))
    return classes


def prefixes_dynamiques() -> tuple[str, ...]:
    """Prefixes completed by a variable in the project's own files (django-dsfr's templates build a few, such as
    `fr-icon-{{ widget.icon }}`, for components this project does not use: taking them would keep every icon)."""
    prefixes = set()
    for fichier in fichiers_sources():
        if DSFR in fichier.parents:
            continue
        prefixes.update(PREFIXE_DYNAMIQUE.findall(fichier.read_text(encoding="utf-8", errors="ignore")))
    return tuple(sorted(prefixes))


def classes_du_script() -> set[str]:
    """The classes the DSFR's script may add to the page (states of its components: `fr-collapse--expanded`,
    `fr-modal--opened`…): it builds them as "fr-" + a word of its source; every word is taken, generously."""
    texte = (DSFR_DIST / "dsfr" / "dsfr.module.min.js").read_text(encoding="utf-8")
    mots = set(MOT_JS.findall(texte))
    return {m for m in mots if m.startswith("fr-")} | {f"fr-{m}" for m in mots}


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


def _decouper(prelude: str) -> list[str]:
    """The selectors of a selector list, split at the commas outside parentheses (`:is(.a,.b)` stays whole)."""
    morceaux, profondeur, debut = [], 0, 0
    for i, car in enumerate(prelude):
        if car == "(":
            profondeur += 1
        elif car == ")":
            profondeur -= 1
        elif car == "," and not profondeur:
            morceaux.append(prelude[debut:i])
            debut = i + 1
    return [*morceaux, prelude[debut:]]


def _hors_parentheses(selecteur: str) -> str:
    """The selector without its parenthesised parts: a class inside `:not()`, `:is()`, `:where()` is not required."""
    sortie, profondeur = [], 0
    for car in selecteur:
        if car == "(":
            profondeur += 1
        elif car == ")":
            profondeur -= 1
        elif not profondeur:
            sortie.append(car)
    return "".join(sortie)


def etats_du_script() -> frozenset[str]:
    """The states the DSFR's script gives a component by adding `<its class>--<state>`: it builds the name from the
    component and the state's id (`${e}--${t}`: `fr-modal--opened`, `fr-tabs__panel--selected`), so the whole name is
    nowhere in its source; the state's id is. Every word of the script is taken as a possible state."""
    texte = (DSFR_DIST / "dsfr" / "dsfr.module.min.js").read_text(encoding="utf-8")
    return frozenset(MOT_JS.findall(texte))


def _utilisee(classe: str, classes: set[str], prefixes: tuple[str, ...], etats: frozenset[str] = frozenset()) -> bool:
    if classe in classes or classe.startswith(prefixes):
        return True
    base, separateur, etat = classe.rpartition("--")
    return bool(separateur) and etat in etats and _utilisee(base, classes, prefixes, etats)


def _garder_selecteurs(
    prelude: str, classes: set[str], prefixes: tuple[str, ...] = (), etats: frozenset[str] = frozenset()
) -> str:
    gardes = [
        s
        for s in _decouper(prelude)
        if all(_utilisee(c, classes, prefixes, etats) for c in CLASSE_CSS.findall(_hors_parentheses(s)))
    ]
    return ",".join(gardes)


def _pour_internet_explorer(prelude: str) -> bool:
    """A media query that only Internet Explorer applies: the `(min-width:0\\0)` hack, which other browsers read as
    invalid, or `-ms-high-contrast` alone. A list is dropped only when every query of it is such a one (the DSFR
    pairs `-ms-high-contrast` with `forced-colors`, which modern browsers apply)."""
    if not prelude.startswith("@media"):
        return False
    requetes = _decouper(prelude[len("@media") :])
    return all("\\0" in r or ("-ms-high-contrast" in r and "forced-colors" not in r) for r in requetes)


def _filtrer(css: str, classes: set[str], prefixes: tuple[str, ...] = (), etats: frozenset[str] = frozenset()) -> str:
    sortie = []
    for prelude, corps in _regles(css):
        if prelude.startswith("/*!"):
            sortie.append(prelude)
        elif _pour_internet_explorer(prelude):
            continue
        elif prelude.startswith("@media") or prelude.startswith("@supports"):
            interieur = _filtrer(corps, classes, prefixes, etats)
            if interieur:
                sortie.append(f"{prelude}{{{interieur}}}")
        elif prelude.startswith("@"):
            sortie.append(f"{prelude}{{{corps}}}")
        else:
            gardes = _garder_selecteurs(prelude, classes, prefixes, etats)
            if gardes:
                sortie.append(f"{gardes}{{{corps}}}")
    return "".join(sortie)


def _reduire(source: Path, classes: set[str], etats: frozenset[str] = frozenset()) -> str:
    css = _filtrer(source.read_text(encoding="utf-8"), classes, prefixes_dynamiques(), etats)
    css = re.sub(r"url\((['\"]?)\.\./", lambda m: f"url({m.group(1)}{PREFIXE_URL}", css)
    return (
        f"/* Généré par `python manage.py css_dsfr` depuis dsfr/dist/{source.parent.name}/{source.name} : seules "
        "les classes utilisées (avenirpro/css_dsfr.py). Ne pas modifier à la main. */\n" + css + "\n"
    )


def generer() -> str:
    """The utility classes (icons, colours) the templates use."""
    return _reduire(SOURCE, classes_utilisees())


def generer_dsfr() -> str:
    """The DSFR's core and components, without the rules of classes no template, form or DSFR script uses."""
    return _reduire(SOURCE_DSFR, classes_utilisees() | classes_du_script(), etats_du_script())

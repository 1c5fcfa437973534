"""Charts drawn on the server: the geometry of an inline SVG bar chart, rendered by
tableaux/templates/tableaux/_barres.html with a title, a description and the same figures as a data table."""

from __future__ import annotations

from dataclasses import dataclass, field

LARGEUR = 640
LARGEUR_LIBELLE = 250
HAUTEUR_BARRE = 22
ECART = 8


def nombre(valeur) -> str:
    """French display of a figure: thin space between thousands, dash when unknown."""
    if valeur is None:
        return "–"
    if isinstance(valeur, int):
        return f"{valeur:,}".replace(",", "\u202f")
    return str(valeur)


@dataclass
class Barre:
    libelle: str
    valeur: int | None
    affichage: str
    lien: str | None = None
    x: int = LARGEUR_LIBELLE
    y: int = 0
    largeur: int = 0
    y_texte: int = 0


@dataclass
class Graphique:
    ident: str
    titre: str
    description: str
    barres: list[Barre] = field(default_factory=list)
    largeur: int = LARGEUR
    hauteur: int = 0
    largeur_libelle: int = LARGEUR_LIBELLE


def barres(ident: str, titre: str, elements, masquer=None) -> Graphique:
    """`elements`: [(label, value, link or None)]. `masquer(value) -> str | None` hides small counts:
    a masked bar is drawn empty and its value shown as the mask text."""
    elements = list(elements)
    visibles = [v for _, v, _ in elements if v is not None and not (masquer and masquer(v))]
    maximum = max(visibles, default=0) or 1
    zone = LARGEUR - LARGEUR_LIBELLE - 60
    g = Graphique(ident=ident, titre=titre, description="")
    parties = []
    for i, (libelle, valeur, lien) in enumerate(elements):
        masque = masquer(valeur) if (masquer and valeur is not None) else None
        affichage = masque or nombre(valeur)
        y = i * (HAUTEUR_BARRE + ECART)
        largeur = 0 if (masque or not valeur) else max(1, round(zone * valeur / maximum))
        g.barres.append(
            Barre(
                libelle=libelle,
                valeur=valeur,
                affichage=affichage,
                lien=lien,
                y=y,
                largeur=largeur,
                y_texte=y + HAUTEUR_BARRE - 6,
            )
        )
        parties.append(f"{libelle} : {affichage}")
    g.hauteur = max(1, len(elements)) * (HAUTEUR_BARRE + ECART)
    g.description = f"{titre}. " + " ; ".join(parties) + "."
    return g

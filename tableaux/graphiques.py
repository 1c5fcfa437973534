"""Charts drawn on the server: an inline SVG bar chart with a title, a description and the same figures as a data
table (the accessible alternative). `Graphique.html` is its markup, built once by `format_html` (a template included
per chart rendered each bar cell by cell: the chef's dashboard draws four charts, pilotage three)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.safestring import SafeString
from django.utils.text import Truncator

from avenirpro.html import format_html, format_html_join

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

    @property
    def html(self) -> SafeString:
        barres_svg = format_html_join(
            "",
            BARRE_SVG,
            (
                (self.largeur_libelle - 8, b.y_texte, Truncator(b.libelle).chars(30), b.x, b.y, b.largeur,
                 b.x + b.largeur + 6, b.y_texte, b.affichage)
                for b in self.barres
            ),
        )  # fmt: skip
        lignes = format_html_join(
            "",
            LIGNE_TABLEAU,
            (
                (format_html('<a href="{}">{}</a>', b.lien, b.libelle) if b.lien else b.libelle, b.affichage)
                for b in self.barres
            ),
        )
        return format_html(
            FIGURE,
            ident=self.ident,
            titre=self.titre,
            description=self.description,
            largeur=self.largeur,
            hauteur=self.hauteur,
            barres=barres_svg,
            lignes=lignes,
        )


FIGURE = """<figure class="ap-graphique fr-mb-4w" aria-labelledby="{ident}-legende">
  <figcaption id="{ident}-legende" class="fr-h6">{titre}</figcaption>
  <svg role="img" aria-labelledby="{ident}-titre {ident}-desc" width="100%" viewBox="0 0 {largeur} {hauteur}" \
preserveAspectRatio="xMinYMin meet" class="ap-graphique__svg">
    <title id="{ident}-titre">{titre}</title>
    <desc id="{ident}-desc">{description}</desc>
    {barres}
  </svg>
  <details class="fr-mt-1w">
    <summary>Voir les données sous forme de tableau</summary>
    <div class="fr-table fr-table--no-caption fr-mt-1w">
      <table>
        <caption>{titre}</caption>
        <thead><tr><th scope="col">Étape</th><th scope="col">Nombre</th></tr></thead>
        <tbody>
          {lignes}
        </tbody>
      </table>
    </div>
  </details>
</figure>
"""
BARRE_SVG = """
      <g>
        <text x="{}" y="{}" text-anchor="end" font-size="13" fill="#161616">{}</text>
        <rect x="{}" y="{}" width="{}" height="22" fill="#000091"></rect>
        <text x="{}" y="{}" font-size="13" fill="#161616">{}</text>
      </g>"""
LIGNE_TABLEAU = """
            <tr><th scope="row">{}</th><td>{}</td></tr>"""


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

"""Exports shared by every list: CSV (`;`, UTF-8 with BOM, protected against formula injection) and XLSX.

Both are streamed: a CSV export writes row by row through a `StreamingHttpResponse`; an XLSX export uses
openpyxl's write-only workbook, whose memory stays flat whatever the number of rows.

    from avenirpro.exports import reponse_csv, reponse_xlsx
    return reponse_csv("jeunes.csv", ["Nom", "Prénoms"], ((j.nom, j.prenoms) for j in qs.iterator()))

Callers journalise the export themselves (`avenirpro.journal.journaliser(user, "export", objet, nombre)`).
"""

from __future__ import annotations

import csv
import datetime
import decimal
import io
import tempfile
from collections.abc import Iterable, Sequence

from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone

BOM = "\ufeff"
# A cell starting with one of these is read as a formula by spreadsheet software (OWASP "CSV injection").
CARACTERES_FORMULE = ("=", "+", "-", "@", "\t", "\r")

TYPE_CSV = "text/csv; charset=utf-8"
TYPE_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def neutraliser(valeur) -> str:
    """Text of a cell, prefixed with a quote when a spreadsheet would run it as a formula.

    Numbers stay numbers: a negative count is not a formula, so only text is neutralised."""
    if valeur is None:
        return ""
    if isinstance(valeur, bool):
        return "oui" if valeur else "non"
    if isinstance(valeur, (int, float, decimal.Decimal)):
        return str(valeur).replace(".", ",") if isinstance(valeur, (float, decimal.Decimal)) else str(valeur)
    if isinstance(valeur, datetime.datetime):
        return (
            timezone.localtime(valeur).strftime("%d/%m/%Y %H:%M")
            if timezone.is_aware(valeur)
            else (valeur.strftime("%d/%m/%Y %H:%M"))
        )
    if isinstance(valeur, datetime.date):
        return valeur.strftime("%d/%m/%Y")
    texte = str(valeur)
    if texte.startswith(CARACTERES_FORMULE):
        return "'" + texte
    return texte


class _Tampon:
    """A file-like object whose write() hands back what was written (for csv.writer in a generator)."""

    def write(self, valeur):
        return valeur


def lignes_csv(entetes: Sequence[str], lignes: Iterable[Sequence]) -> Iterable[str]:
    ecrivain = csv.writer(_Tampon(), delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    yield BOM + ecrivain.writerow([neutraliser(e) for e in entetes])
    for ligne in lignes:
        yield ecrivain.writerow([neutraliser(v) for v in ligne])


def _disposition(nom_fichier: str) -> str:
    return f'attachment; filename="{nom_fichier}"'


def reponse_csv(nom_fichier: str, entetes: Sequence[str], lignes: Iterable[Sequence]) -> StreamingHttpResponse:
    reponse = StreamingHttpResponse(lignes_csv(entetes, lignes), content_type=TYPE_CSV)
    reponse["Content-Disposition"] = _disposition(nom_fichier)
    reponse["Cache-Control"] = "no-store"
    return reponse


def _cellule_xlsx(valeur):
    if valeur is None:
        return None
    if isinstance(valeur, (bool, int, float, decimal.Decimal)):
        return valeur
    if isinstance(valeur, datetime.datetime):
        return timezone.localtime(valeur).replace(tzinfo=None) if timezone.is_aware(valeur) else valeur
    if isinstance(valeur, datetime.date):
        return valeur
    return neutraliser(valeur)


def classeur_xlsx(titre: str, entetes: Sequence[str], lignes: Iterable[Sequence]):
    """A write-only workbook in a temporary file (spooled to disk beyond 5 MB), rewound for reading."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    classeur = Workbook(write_only=True)
    feuille = classeur.create_sheet(title=titre[:31] or "Export")
    gras = Font(bold=True)
    ligne_entete = []
    for e in entetes:
        cellule = WriteOnlyCell(feuille, value=str(e))
        cellule.font = gras
        ligne_entete.append(cellule)
    feuille.append(ligne_entete)
    for ligne in lignes:
        feuille.append([_cellule_xlsx(v) for v in ligne])
    fichier = tempfile.SpooledTemporaryFile(max_size=5 * 1024 * 1024)
    classeur.save(fichier)
    fichier.seek(0)
    return fichier


def reponse_xlsx(nom_fichier: str, titre: str, entetes: Sequence[str], lignes: Iterable[Sequence]) -> FileResponse:
    fichier = classeur_xlsx(titre, entetes, lignes)
    reponse = FileResponse(fichier, as_attachment=True, filename=nom_fichier, content_type=TYPE_XLSX)
    reponse["Cache-Control"] = "no-store"
    return reponse


def contenu_csv(entetes: Sequence[str], lignes: Iterable[Sequence]) -> str:
    """The whole CSV as text (tests, e-mail attachments)."""
    sortie = io.StringIO()
    for morceau in lignes_csv(entetes, lignes):
        sortie.write(morceau)
    return sortie.getvalue()

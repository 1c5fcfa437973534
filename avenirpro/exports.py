"""Exports shared by every list: CSV (`;`, UTF-8 with BOM, protected against formula injection) and XLSX.

Both are streamed: a CSV export writes row by row through a `StreamingHttpResponse`; an XLSX export uses
openpyxl's write-only workbook, whose memory stays flat whatever the number of rows.

    from avenirpro.exports import reponse_csv, reponse_xlsx
    return reponse_csv("jeunes.csv", ["Nom", "Prénoms"], ((j.nom, j.prenoms) for j in qs.iterator()))

A list page declares its export once, as an `Export` (its own selection — access rule and filters — and its
columns), and gets its view from `vue(export)`: a small list is streamed at once and journaled; a list longer than
EXPORT_SEUIL_ARRIERE_PLAN rows is prepared by a Celery worker (`ExportFichier`, ADR 0008) behind a progress page,
and journaled when its file is downloaded. The worker finds the declaration again by its key: declarations live in
`<app>/exports.py` modules, imported when the project starts (`AvenirproConfig.ready`).
"""

from __future__ import annotations

import csv
import datetime
import decimal
import io
import logging
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpResponse, QueryDict, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

logger = logging.getLogger(__name__)

BOM = "\ufeff"
# A cell starting with one of these is read as a formula by spreadsheet software: OWASP's «CSV injection» list
# (=, +, -, @, tab, carriage return), the «|» of DDE payloads, and the full-width forms that spreadsheets read as
# their ASCII twins (issue 13, F10).
CARACTERES_FORMULE = ("=", "+", "-", "@", "\t", "\r", "|", "\uff1d", "\uff0b", "\uff0d", "\uff20")

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


# --- A list's export: declared once, streamed or prepared in the background --------------------------------------

FORMATS = ("csv", "xlsx")
# Query-string keys of a list page that do not filter its rows.
PARAMETRES_IGNORES = ("page",)


@dataclass(frozen=True)
class Export:
    """What a list exports: exactly the rows the list shows to this user, with its filters, every page.

    `selection(user, params, **arguments)` is the list's own selection (its visibility rule and its filters, read from
    the query string `params`; `arguments` are the URL's keyword arguments, e.g. a meeting's uuid). It raises
    PermissionDenied or Http404 as the list page does. `ligne(objet)` gives one row of values, in `entetes` order.
    """

    cle: str
    libelle: str  # shown on the progress page and in the access log; may use `arguments`, e.g. "Mes jeunes ({role})"
    nom_fichier: str  # without extension nor date
    entetes: Sequence[str]
    selection: Callable[..., QuerySet]
    ligne: Callable[[object], Sequence]

    def libelle_pour(self, arguments: dict) -> str:
        return self.libelle.format(**arguments)

    def nom_pour(self, format: str) -> str:
        return f"{self.nom_fichier}-{timezone.localdate():%Y-%m-%d}.{format}"

    def lignes(self, qs: QuerySet) -> Iterable[Sequence]:
        return (self.ligne(objet) for objet in qs.iterator(chunk_size=500))


REGISTRE: dict[str, Export] = {}


def enregistrer(export: Export) -> Export:
    REGISTRE[export.cle] = export
    return export


def definition(cle: str) -> Export:
    return REGISTRE[cle]


def filtres_de(params: QueryDict) -> dict[str, list[str]]:
    """The list's filters as JSON (every value of every key: a filter may be repeated)."""
    return {cle: params.getlist(cle) for cle in params if cle not in PARAMETRES_IGNORES}


def params_de(filtres: dict[str, list[str]]) -> QueryDict:
    params = QueryDict(mutable=True)
    for cle, valeurs in filtres.items():
        params.setlist(cle, valeurs)
    return params


def reponse(export: Export, format: str, qs: QuerySet, *, titre: str, nom: str):
    if format == "csv":
        return reponse_csv(nom, export.entetes, export.lignes(qs))
    return reponse_xlsx(nom, titre, export.entetes, export.lignes(qs))


def vue(export: Export):
    """The view of `export`, for a URL with a `format` keyword argument (csv or xlsx).

    - GET, at most EXPORT_SEUIL_ARRIERE_PLAN rows: the file, streamed and journaled;
    - GET, more rows: a page whose button (POST) prepares the file in the background (a GET never writes, and the
      list pages hold links only: no CSRF token in a list kept in the cache, ADR 0007);
    - POST: the file is prepared in the background; the user is sent to its progress page.
    """

    @require_http_methods(["GET", "POST"])
    def exporter(request, format, **arguments):
        from avenirpro.journal import journaliser
        from avenirpro.models import JournalAcces

        if format not in FORMATS:
            raise Http404
        qs = export.selection(request.user, request.GET, **arguments)  # the list's own access rule and filters
        refus = None
        if request.method == "POST":
            try:
                fichier = demander_export(
                    export=export, proprietaire=request.user, format=format, params=request.GET, arguments=arguments
                )
            except TropDExportsEnCours as exc:
                refus = str(exc)
            else:
                return redirect("exports:detail", uuid=fichier.uuid)
        nombre = qs.count()
        libelle = export.libelle_pour(arguments)
        if refus or nombre > settings.EXPORT_SEUIL_ARRIERE_PLAN:
            contexte = {"titre": f"Exporter : {libelle}", "libelle": libelle, "format": format.upper()}
            contexte.update(nombre=nombre, refus=refus)
            return render(request, "exports/confirmer.html", contexte, status=429 if refus else 200)
        journaliser(request.user, JournalAcces.Action.EXPORT, f"{libelle} ({format.upper()})", nombre)
        return reponse(export, format, qs, titre=libelle, nom=export.nom_pour(format))

    exporter.__name__ = exporter.__qualname__ = f"exporter_{export.cle.replace('-', '_')}"
    return exporter


# --- Background exports (ExportFichier) ---------------------------------------------------------------------------

MESSAGE_ACCES_PERDU = (
    "Vous n'avez plus accès à cette liste : le fichier n'a pas été préparé. Revenez à la liste pour l'exporter."
)
MESSAGE_ERREUR = (
    "Le fichier n'a pas pu être préparé à la suite d'une erreur technique. Relancez l'export depuis la liste ; "
    "si l'erreur se reproduit, signalez-la à l'assistance."
)


class TropDExportsEnCours(Exception):
    """The user already has EXPORTS_SIMULTANES_MAX background exports waiting or in progress (ADR 0011)."""


def demander_export(*, export: Export, proprietaire, format: str, params: QueryDict, arguments: dict):
    """Record a background export of `export` with these filters and send it to a worker (after commit).

    The same export still being prepared for the same user (a double click, the button pressed again) is reused."""
    from avenirpro.models import ExportFichier
    from avenirpro.taches import envoyer
    from avenirpro.tasks import produire_export

    demande = {
        "proprietaire": proprietaire,
        "export": export.cle,
        "format": format,
        "filtres": filtres_de(params),
        "arguments": {cle: str(valeur) for cle, valeur in arguments.items()},
    }
    deja = (
        ExportFichier.objects.sans_contenu()
        .filter(statut__in=[ExportFichier.Statut.EN_ATTENTE, ExportFichier.Statut.EN_COURS], **demande)
        .first()
    )
    if deja is not None:
        return deja
    en_cours = ExportFichier.objects.filter(
        proprietaire=proprietaire,
        statut__in=[ExportFichier.Statut.EN_ATTENTE, ExportFichier.Statut.EN_COURS],
        # a job whose worker died long ago no longer counts (beyond the task's hard time limit, twice)
        cree_le__gte=timezone.now() - datetime.timedelta(seconds=2 * settings.EXPORT_DUREE_MAX),
    ).count()
    if en_cours >= settings.EXPORTS_SIMULTANES_MAX:
        raise TropDExportsEnCours(
            f"Vous avez déjà {en_cours} exports en préparation ({settings.EXPORTS_SIMULTANES_MAX} au plus à la "
            "fois). Attendez qu'un de ces fichiers soit prêt, puis relancez cet export."
        )

    from avenirpro.models import Affectation

    fichier = ExportFichier(
        **demande,
        libelle=export.libelle_pour(arguments)[:200],
        nom_fichier=export.nom_pour(format),
        affectations=sorted(
            Affectation.objects.actives().filter(utilisateur=proprietaire).values_list("pk", flat=True)
        ),
    )
    fichier.full_clean(exclude=["contenu"])
    fichier.save()
    envoyer(produire_export, fichier.pk)
    return fichier


class _Suivi:
    """The rows of a background export, its progression recorded every `pas` rows written."""

    def __init__(self, lignes: Iterable[Sequence], fichier, pas: int):
        self.lignes, self.fichier, self.pas = lignes, fichier, pas
        self.ecrites = 0

    def __iter__(self):
        for ligne in self.lignes:
            yield ligne
            self.ecrites += 1
            if self.ecrites % self.pas == 0:
                self.fichier.avancer(self.ecrites)


def contenu(export: Export, format: str, lignes: Iterable[Sequence], *, titre: str) -> bytes:
    """The whole file, byte for byte what the streamed response sends (CSV) or the same workbook (XLSX)."""
    if format == "csv":
        return "".join(lignes_csv(export.entetes, lignes)).encode("utf-8")
    with classeur_xlsx(titre, export.entetes, lignes) as fichier:
        return fichier.read()


def produire_export(fichier_id: int, *, pas: int | None = None):
    """Write the file of a background export (the Celery task's work). Idempotent: an export already over is left
    alone, one whose worker died is started again from the first row. Returns the record, or None if purged."""
    from avenirpro.models import ExportFichier

    fichier = ExportFichier.objects.sans_contenu().select_related("proprietaire").filter(pk=fichier_id).first()
    if fichier is None or not fichier.en_cours:
        return fichier
    try:
        export = definition(fichier.export)
        qs = export.selection(fichier.proprietaire, params_de(fichier.filtres), **fichier.arguments)
        if not fichier.commencer(qs.count()):
            return fichier
        suivi = _Suivi(export.lignes(qs), fichier, pas or settings.EXPORT_PAS_PROGRESSION)
        donnees = contenu(export, fichier.format, suivi, titre=export.libelle_pour(fichier.arguments))
    except (PermissionDenied, Http404):
        fichier.echouer(MESSAGE_ACCES_PERDU)
    except Exception:
        logger.exception("Export en arrière-plan %s en échec", fichier.uuid)
        fichier.echouer(MESSAGE_ERREUR)
    else:
        fichier.terminer(donnees, suivi.ecrites)
    return fichier


def verifier_droits(fichier, user) -> None:
    """Raise PermissionDenied (or Http404) unless `user` may still read the list `fichier` was made from, with its
    filters (the selection is only built, a lazy QuerySet, not run), and still holds every role they held when they
    asked for it (a chef of two lycées who leaves one has no list to lose, but the file holds its young people)."""
    from avenirpro.models import Affectation

    if fichier.affectations:
        encore = Affectation.objects.actives().filter(utilisateur=user, pk__in=fichier.affectations)
        if encore.count() != len(set(fichier.affectations)):
            raise PermissionDenied
    try:
        export = definition(fichier.export)
    except KeyError:
        raise Http404 from None
    export.selection(user, params_de(fichier.filtres), **fichier.arguments)


def reponse_fichier(fichier) -> HttpResponse:
    """The download of a finished background export."""
    reponse = HttpResponse(
        bytes(fichier.contenu), content_type=TYPE_CSV if fichier.format == fichier.Format.CSV else TYPE_XLSX
    )
    reponse["Content-Disposition"] = _disposition(fichier.nom_fichier)
    reponse["Cache-Control"] = "no-store"
    return reponse

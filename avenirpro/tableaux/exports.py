"""Exports of the follow-up lists: «Mes jeunes» of a référent or of a counsellor, as CSV or XLSX (streamed)."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone
from django.views.decorators.http import require_GET

from avenirpro.acces import perimetre
from avenirpro.exports import reponse_csv, reponse_xlsx
from avenirpro.journal import journaliser
from avenirpro.models import JournalAcces
from avenirpro.tableaux import selections

ENTETES = [
    "Nom",
    "Prénoms",
    "Lycée",
    "MEF",
    "Date d'entrée",
    "Fin du parcours",
    "Statut",
    "Référent",
    "Conseiller",
    "N° I-Milo",
    "Dernier point",
    "Prochain point",
]


def _lignes(inscriptions):
    for i in inscriptions.iterator(chunk_size=500):
        yield [
            i.jeune.nom,
            i.jeune.prenoms,
            i.etablissement.nom,
            i.get_mef_display(),
            i.date_entree,
            i.date_fin_prevue,
            i.get_statut_display(),
            str(i.referent or ""),
            str(i.conseiller or ""),
            i.numero_imilo,
            i.dernier_point,
            i.prochain_point,
        ]


@require_GET
def mes_jeunes(request, role, format):
    """Exactly the young people listed on the user's «Mes jeunes» screen for that role (never more)."""
    p = perimetre(request.user)
    if role == "referent" and not p.referent or role == "conseiller" and not p.missions_locales:
        raise PermissionDenied
    if format not in ("csv", "xlsx"):
        raise Http404
    qs = selections.inscriptions_suivies(request.user, jour=timezone.localdate(), role=role)
    journaliser(request.user, JournalAcces.Action.EXPORT, f"Mes jeunes ({role})", qs.count())
    nom = f"mes-jeunes-{timezone.localdate():%Y-%m-%d}"
    if format == "csv":
        return reponse_csv(f"{nom}.csv", ENTETES, _lignes(qs))
    return reponse_xlsx(f"{nom}.xlsx", "Mes jeunes", ENTETES, _lignes(qs))

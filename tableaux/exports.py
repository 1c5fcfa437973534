"""Exports of the follow-up lists: «Mes jeunes» of a référent or of a counsellor, as CSV or XLSX."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from avenirpro.acces import perimetre
from avenirpro.exports import Export, enregistrer, vue
from tableaux import selections

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


def _ligne(i) -> list:
    return [
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


def _selection(user, params, *, role):
    """Exactly the young people listed on the user's «Mes jeunes» screen for that role (never more)."""
    if role not in ("referent", "conseiller"):
        raise Http404
    p = perimetre(user)
    if role == "referent" and not p.referent or role == "conseiller" and not p.missions_locales:
        raise PermissionDenied
    return selections.inscriptions_suivies(user, jour=timezone.localdate(), role=role)


MES_JEUNES = enregistrer(
    Export(
        cle="mes-jeunes",
        libelle="Mes jeunes ({role})",
        nom_fichier="mes-jeunes",
        entetes=ENTETES,
        selection=_selection,
        ligne=_ligne,
    )
)

mes_jeunes = vue(MES_JEUNES)

"""Export of the worklist «Jeunes sans solution»: exactly what the list shows (same filters, every page)."""

from avenirpro.exports import Export, enregistrer, vue
from avenirpro.filtres import filtree
from eleves.filters import ReperageFilter
from eleves.selections import liste_filtree


@filtree(ReperageFilter)
def _selection(user, params):
    filtre, _, _ = liste_filtree(user, params)
    return filtre.qs


def _ligne(r) -> list:
    j = r.jeune
    return [
        j.ine, j.nom, j.prenoms, j.date_naissance, j.telephone, j.email, r.get_diplome_display(), r.specialite,
        r.division, r.get_resultat_display(), r.get_parcoursup_display(), r.get_situation_rentree_display(),
        r.get_typologie_display(), r.get_statut_contact_display(), r.get_relais_estival_display(),
    ]  # fmt: skip


JEUNES_SANS_SOLUTION = enregistrer(
    Export(
        cle="jeunes-sans-solution",
        libelle="Liste des jeunes sans solution",
        nom_fichier="jeunes-sans-solution",
        entetes=[
            "INE",
            "Nom",
            "Prénoms",
            "Date de naissance",
            "Téléphone",
            "Courriel",
            "Diplôme",
            "Spécialité",
            "Division",
            "Résultat",
            "Parcoursup",
            "Situation à la rentrée",
            "Typologie",
            "Statut de contact",
            "Relais estival",
        ],  # fmt: skip
        selection=_selection,
        ligne=_ligne,
    )
)

export = vue(JEUNES_SANS_SOLUTION)

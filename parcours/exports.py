"""Exports of the parcours lists: the chef's enrolments and the local offer, with the filters of each page."""

from avenirpro.exports import Export, enregistrer, vue
from parcours.selections import inscriptions, offre_filtree


def _inscription(i) -> list:
    return [
        i.jeune.ine, i.jeune.nom, i.jeune.prenoms, i.get_mef_display(), i.date_entree, i.date_limite,
        str(i.referent or ""), str(i.conseiller or ""), i.numero_imilo, i.get_statut_display(), i.date_sortie,
        i.get_motif_sortie_display(), i.get_situation_sortie_display(),
    ]  # fmt: skip


PARCOURS = enregistrer(
    Export(
        cle="parcours",
        libelle="Parcours AvenirPro+",
        nom_fichier="parcours",
        entetes=[
            "INE",
            "Nom",
            "Prénoms",
            "MEF",
            "Date d'entrée",
            "Fin au plus tard",
            "Référent",
            "Conseiller",
            "N° I-Milo",
            "Statut",
            "Date de sortie",
            "Motif de sortie",
            "Situation à la sortie",
        ],  # fmt: skip
        selection=inscriptions,
        ligne=_inscription,
    )
)


def _offre(o) -> list:
    return [
        o.intitule, o.get_type_display(), o.etablissement.nom if o.etablissement else str(o.structure or ""),
        o.lieu or o.get_type_lieu_display(), o.date_debut, o.date_fin, o.heures_hebdo, o.capacite, o.contact,
    ]  # fmt: skip


OFFRE = enregistrer(
    Export(
        cle="offre-locale",
        libelle="Offre locale",
        nom_fichier="offre-locale",
        entetes=["Intitulé", "Type", "Porteur", "Lieu", "Début", "Fin", "Heures / semaine", "Capacité", "Contact"],
        selection=offre_filtree,
        ligne=_offre,
    )
)

parcours = vue(PARCOURS)
offre = vue(OFFRE)

"""Exports of the meetings list and of a meeting's invited young people (with their attendance)."""

from avenirpro.exports import Export, enregistrer, vue
from entretiens.selections import invitations_de_la_reunion, reunions_visibles


def _reunion(r) -> list:
    return [
        r.debut, r.etablissement.nom, r.lieu, r.mission_locale.nom if r.mission_locale else "", r.capacite,
        r.nb_invites, r.nb_presents,
    ]  # fmt: skip


REUNIONS = enregistrer(
    Export(
        cle="reunions",
        libelle="Réunions d'information collective",
        nom_fichier="reunions",
        entetes=["Date et heure", "Lycée", "Lieu", "Mission locale", "Capacité", "Invités", "Présents"],
        selection=reunions_visibles,
        ligne=_reunion,
    )
)


def _courriel(inv) -> str:
    if inv.courriel_envoye_le:
        return "Envoyé"
    return "Non envoyé" if inv.jeune.email else "Pas d'adresse"


def _invitation(inv) -> list:
    return [inv.jeune.nom, inv.jeune.prenoms, inv.invite_le, _courriel(inv), inv.courriel_envoye_le,
            inv.get_presence_display()]  # fmt: skip


INVITATIONS = enregistrer(
    Export(
        cle="reunion-invitations",
        libelle="Jeunes invités à une réunion d'information",
        nom_fichier="reunion-invites",
        entetes=["Nom", "Prénoms", "Invité le", "Invitation par courriel", "Courriel envoyé le", "Présence"],
        selection=invitations_de_la_reunion,
        ligne=_invitation,
    )
)

reunions = vue(REUNIONS)
invitations = vue(INVITATIONS)

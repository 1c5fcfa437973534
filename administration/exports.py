"""Exports of the administration lists (lycées, missions locales, structures, accounts, team, invitations, access
log): each with its page's own access rule and filters (administration.views)."""

from administration import selections as v
from avenirpro.exports import Export, enregistrer, vue
from avenirpro.filtres import filtree


def _roles(u) -> str:
    return " ; ".join(str(a) for a in u.roles_actifs)


ETABLISSEMENTS = enregistrer(
    Export(
        cle="admin-lycees",
        libelle="Lycées",
        nom_fichier="lycees",
        entetes=["UAI", "Nom", "Commune", "Département", "Académie", "Bassin", "Réseau", "Zone", "Courriel"],
        selection=filtree(v.etablissements_filtres.filterset)(
            lambda user, params: v.etablissements_filtres(user, params)[1]
        ),
        ligne=lambda e: [
            e.uai,
            e.nom,
            e.commune,
            e.departement,
            e.academie,
            e.bassin,
            e.reseau,
            e.zone_vacances,
            e.email,
        ],
    )
)

MISSIONS_LOCALES = enregistrer(
    Export(
        cle="admin-missions-locales",
        libelle="Missions locales",
        nom_fichier="missions-locales",
        entetes=["Nom", "Courriel", "Téléphone", "SIRET", "Département", "Lycées couverts aujourd'hui"],
        selection=v.missions_locales_liste,
        ligne=lambda m: [m.nom, m.email, m.telephone, m.siret, m.departement, m.nb_lycees],
    )
)

STRUCTURES = enregistrer(
    Export(
        cle="admin-structures",
        libelle="Structures partenaires",
        nom_fichier="structures",
        entetes=[
            "Nom",
            "Type",
            "Commune",
            "Bassin",
            "Département",
            "SIRET",
            "Contact",
            "Courriel du contact",
            "Téléphone du contact",
        ],
        selection=filtree(v.structures_filtrees.filterset)(
            lambda user, params: v.structures_filtrees(user, params)[1]
        ),
        ligne=lambda s: [
            s.nom,
            s.get_type_display(),
            s.commune,
            s.bassin,
            s.departement,
            s.siret,
            s.contact_nom,
            s.contact_email,
            s.contact_telephone,
        ],
    )
)

COMPTES = enregistrer(
    Export(
        cle="admin-comptes",
        libelle="Comptes",
        nom_fichier="comptes",
        entetes=["Nom", "Prénom", "Adresse électronique", "Rôles actifs", "État", "Dernière connexion"],
        selection=filtree(v.comptes_filtres.filterset)(lambda user, params: v.comptes_filtres(user, params)[1]),
        ligne=lambda u: [
            u.last_name,
            u.first_name,
            u.email,
            _roles(u),
            "Actif" if u.is_active else "Désactivé",
            u.last_login,
        ],
    )
)

EQUIPE = enregistrer(
    Export(
        cle="admin-equipe",
        libelle="Équipe et rôles",
        nom_fichier="equipe",
        entetes=[
            "Personne",
            "Adresse électronique",
            "Rôle",
            "Fonction",
            "Organisation",
            "Depuis",
            "Volontaire depuis",
        ],
        selection=v.equipe_geree,
        ligne=lambda a: [
            a.utilisateur.get_full_name(),
            a.utilisateur.email,
            a.get_role_display(),
            a.get_fonction_display(),
            str(a.etablissement or a.mission_locale or a.perimetre or ""),
            a.date_debut,
            a.date_volontariat,
        ],
    )
)

INVITATIONS = enregistrer(
    Export(
        cle="admin-invitations",
        libelle="Invitations",
        nom_fichier="invitations",
        entetes=["Adresse électronique", "Rôle", "Organisation", "Envoyée le", "Par", "Expire le", "État"],
        selection=v.invitations_envoyees,
        ligne=lambda i: [
            i.email,
            i.get_role_display(),
            str(i.organisation or ""),
            i.cree_le,
            str(i.cree_par or ""),
            i.expire_le,
            i.etat,
        ],
    )
)


def _objet(j) -> str:
    # As on the page: a record is named by its number, never by the young person's name.
    return f"Dossier n° {j.objet_uuid}" if j.objet_uuid else j.objet


JOURNAL = enregistrer(
    Export(
        cle="admin-journal",
        libelle="Journal des accès",
        nom_fichier="journal-des-acces",
        entetes=["Date", "Utilisateur", "Action", "Objet", "Nombre"],
        selection=filtree(v.journal_filtre.filterset)(lambda user, params: v.journal_filtre(user, params)[1]),
        ligne=lambda j: [
            j.date,
            j.utilisateur.email if j.utilisateur else "",
            j.get_action_display(),
            _objet(j),
            j.nombre,
        ],
    )
)

etablissements = vue(ETABLISSEMENTS)
missions_locales = vue(MISSIONS_LOCALES)
structures = vue(STRUCTURES)
comptes = vue(COMPTES)
equipe = vue(EQUIPE)
invitations = vue(INVITATIONS)
journal = vue(JOURNAL)

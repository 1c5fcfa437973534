"""Access matrix of avenirpro's URLs: home, session keep-alive and the administration screens."""

import datetime

from avenirpro.models import Affectation, Couverture, InvitationCompte, Structure
from tests.matrice import MEMBRES, Cas

TOUS = set(MEMBRES)
ADMIN = {"admin"}
GESTIONNAIRES = {"admin", "chef_a", "chef_b"}  # peut_inviter: administrator, chefs (no ML director in the cast)


def _structure(s):
    if not hasattr(s, "structure"):
        s.structure = Structure.objects.create(nom="CIO de Lyon", type=Structure.Type.CIO)
    return s.structure


def _invitation_a(s):
    """A pending invitation sent by chef_a for lycée A."""
    from django.utils import timezone

    if not hasattr(s, "invitation_compte_a"):
        s.invitation_compte_a = InvitationCompte.objects.create(
            email="invitee@test.fr",
            role="psy_en",
            etablissement=s.lycee_a,
            cree_par=s.chef_a,
            jeton_hash="0" * 64,
            expire_le=timezone.now() + datetime.timedelta(days=3),
        )
    return s.invitation_compte_a


def _role_propose(s):
    """A role proposed by chef_a to an existing account (referent_a2): only its addressee answers it (ADR 0009)."""
    from django.utils import timezone

    if not hasattr(s, "role_propose"):
        s.role_propose = InvitationCompte.objects.create(
            email=s.referent_a2.email,
            role="chef",
            fonction="cpe",
            etablissement=s.lycee_a,
            cree_par=s.chef_a,
            jeton_hash="1" * 64,
            expire_le=timezone.now() + datetime.timedelta(days=3),
        )
    return s.role_propose


EXPORTS_ADMIN = [
    ("etablissements", ADMIN),
    ("missions_locales", ADMIN),
    ("structures", ADMIN),
    ("comptes", ADMIN),
    ("equipe", GESTIONNAIRES),
    ("invitations", GESTIONNAIRES),
    ("journal", ADMIN),
]


def _export_fichier(s):
    """A finished background export of the worklist, requested by chef_a."""
    from avenirpro.models import ExportFichier

    if not hasattr(s, "export_fichier"):
        s.export_fichier = ExportFichier.objects.create(
            proprietaire=s.chef_a,
            export="jeunes-sans-solution",
            libelle="Liste des jeunes sans solution",
            format="csv",
            statut="termine",
            progression=100,
            nombre_lignes=1,
            nom_fichier="jeunes-sans-solution.csv",
            contenu=b"\xef\xbb\xbfINE;Nom\r\n",
        )
    return s.export_fichier


def _etablissement(uai="0750654D"):
    return {
        "uai": uai,
        "nom": "Lycée des métiers Nouveau",
        "commune": "Paris",
        "departement": "75",
        "academie": "Paris",
        "zone_vacances": "C",
    }


# The partners' directory (organisations only): everyone but pilotage and accounts without a role.
ANNUAIRE = TOUS - {"pilotage", "sans_role"}


def _donnees_campagne(s, **extra):
    return {
        "nom": "Session 2027 – rentrée 2027",
        "session": 2027,
        "date_rentree": "01/09/2027",
        "date_entree_min": "01/09/2027",
        "mode_duree": "entree",
        "duree_mois": 4,
        "unite_pfmp": "jours_ouvres",
        "taux_gratification_niveau3": "15",
        "taux_gratification_niveau4": "20",
        "jours_sans_point_suivi": 14,
        "jours_sans_contact": 10,
        "seuil_absences_semaine": 2,
        **extra,
    }


def _ressource(s):
    from avenirpro.models import Ressource

    if not hasattr(s, "ressource"):
        s.ressource = Ressource.objects.create(titre="Page éduscol", categorie="documents")
    return s.ressource


CAS = [
    Cas("glossaire", autorises=TOUS, objet=False, type="glossaire"),
    # Resources: read by every account, kept by the administrator.
    Cas("ressources", autorises=TOUS, objet=False, type="ressource"),
    Cas("administration:ressource_creer", autorises=ADMIN, objet=False, type="ressource"),
    Cas(
        "administration:ressource_creer",
        methode="post",
        autorises=ADMIN,
        objet=False,
        type="ressource",
        action="create",
        donnees=lambda s: {"titre": "PRIJ", "categorie": "sites", "ordre": 1},
        succes=(302,),
    ),
    Cas(
        "administration:ressource_modifier",
        kwargs=lambda s: {"uuid": _ressource(s).uuid},
        autorises=ADMIN,
        type="ressource",
    ),
    # Campaigns on screen: the administrator only.
    Cas("administration:campagnes", autorises=ADMIN, objet=False, type="campagne"),
    Cas("administration:campagne_creer", autorises=ADMIN, objet=False, type="campagne"),
    Cas(
        "administration:campagne_creer",
        methode="post",
        donnees=lambda s: _donnees_campagne(s, apercu="1"),
        autorises=ADMIN,
        objet=False,
        type="campagne",
        action="read",
        succes=(200,),
    ),
    Cas(
        "administration:campagne_creer",
        methode="post",
        donnees=lambda s: _donnees_campagne(s, confirmer="1"),
        autorises=ADMIN,
        objet=False,
        type="campagne",
        action="create",
        succes=(302,),
    ),
    Cas(
        "administration:campagne_modifier",
        kwargs=lambda s: {"uuid": s.campagne.uuid},
        autorises=ADMIN,
        type="campagne",
    ),
    Cas("annuaire:index", autorises=ANNUAIRE, objet=False, type="annuaire"),
    Cas(
        "annuaire:index",
        donnees=lambda s: {"q": "Lyon", "type": "cio"},
        autorises=ANNUAIRE,
        objet=False,
        type="annuaire",
    ),
    Cas(
        "annuaire:mission_locale",
        kwargs=lambda s: {"uuid": s.ml_b.uuid},
        autorises=ANNUAIRE,
        objet=False,
        type="annuaire",
    ),
    Cas(
        "annuaire:structure",
        kwargs=lambda s: {"uuid": _structure(s).uuid},
        autorises=ANNUAIRE,
        objet=False,
        type="annuaire",
    ),
    Cas("accueil", autorises=TOUS, objet=False, type="accueil"),
    Cas("session_prolonger", methode="post", autorises=TOUS, objet=False, type="session", succes=(204,)),
    Cas("administration:accueil", autorises=GESTIONNAIRES, objet=False, type="administration"),
    Cas("administration:mon_compte", autorises=TOUS, objet=False, type="compte"),
    Cas(
        "administration:role_repondre",
        kwargs=lambda s: {"uuid": _role_propose(s).uuid},
        methode="post",
        donnees=lambda s: {"reponse": "accepter"},
        autorises={"referent_a2"},
        type="affectation",
        action="create",
        succes=(302,),
    ),
    # Organisations
    Cas("administration:etablissements", autorises=ADMIN, objet=False, type="etablissement"),
    Cas("administration:etablissement_creer", autorises=ADMIN, objet=False, type="etablissement", action="create"),
    Cas(
        "administration:etablissement_creer",
        methode="post",
        donnees=lambda s: _etablissement(),
        autorises=ADMIN,
        objet=False,
        type="etablissement",
        action="create",
        succes=(302,),
    ),
    Cas(
        "administration:etablissement_modifier",
        kwargs=lambda s: {"uuid": s.lycee_a.uuid},
        autorises=ADMIN,
        type="etablissement",
    ),
    Cas(
        "administration:etablissement_modifier",
        kwargs=lambda s: {"uuid": s.lycee_a.uuid},
        methode="post",
        donnees=lambda s: {**_etablissement(s.lycee_a.uai), "nom": "Lycée A renommé"},
        autorises=ADMIN,
        type="etablissement",
        action="update",
        succes=(302,),
    ),
    Cas("administration:missions_locales", autorises=ADMIN, objet=False, type="mission_locale"),
    Cas("administration:mission_locale_creer", autorises=ADMIN, objet=False, type="mission_locale"),
    Cas(
        "administration:mission_locale_creer",
        methode="post",
        donnees=lambda s: {"nom": "Mission locale C", "email": "mlc@ml.example"},
        autorises=ADMIN,
        objet=False,
        type="mission_locale",
        action="create",
        succes=(302,),
    ),
    Cas(
        "administration:mission_locale", kwargs=lambda s: {"uuid": s.ml_a.uuid}, autorises=ADMIN, type="mission_locale"
    ),
    Cas(
        "administration:mission_locale",
        kwargs=lambda s: {"uuid": s.ml_a.uuid},
        methode="post",
        donnees=lambda s: {"nom": "Mission locale A bis", "email": "mla@ml.example"},
        autorises=ADMIN,
        type="mission_locale",
        action="update",
        succes=(302,),
    ),
    Cas(
        "administration:couverture_ajouter",
        kwargs=lambda s: {"uuid": s.ml_a.uuid},
        methode="post",
        donnees=lambda s: {"etablissement": s.lycee_b.pk, "date_debut": "01/09/2026"},
        autorises=ADMIN,
        type="couverture",
        action="create",
        succes=(302,),
    ),
    Cas(
        "administration:couverture_terminer",
        kwargs=lambda s: {"uuid": s.ml_a.uuid},
        methode="post",
        donnees=lambda s: {"couverture": Couverture.objects.get(mission_locale=s.ml_a, etablissement=s.lycee_a).pk},
        autorises=ADMIN,
        type="couverture",
        action="delete",
        succes=(302,),
    ),
    Cas("administration:structures", autorises=ADMIN, objet=False, type="structure"),
    Cas("administration:structure_creer", autorises=ADMIN, objet=False, type="structure"),
    Cas(
        "administration:structure_creer",
        methode="post",
        donnees=lambda s: {"nom": "Association Tremplin", "type": "association"},
        autorises=ADMIN,
        objet=False,
        type="structure",
        action="create",
        succes=(302,),
    ),
    Cas(
        "administration:structure_modifier",
        kwargs=lambda s: {"uuid": _structure(s).uuid},
        autorises=ADMIN,
        type="structure",
    ),
    Cas(
        "administration:structure_modifier",
        kwargs=lambda s: {"uuid": _structure(s).uuid},
        methode="post",
        donnees=lambda s: {"nom": "CIO de Lyon Est", "type": "cio"},
        autorises=ADMIN,
        type="structure",
        action="update",
        succes=(302,),
    ),
    # Accounts and roles
    Cas("administration:comptes", autorises=ADMIN, objet=False, type="compte"),
    Cas("administration:compte", kwargs=lambda s: {"uuid": s.referent_a.uuid}, autorises=ADMIN, type="compte"),
    Cas(
        "administration:compte_activation",
        kwargs=lambda s: {"uuid": s.referent_a.uuid},
        methode="post",
        donnees=lambda s: {"actif": "0"},
        autorises=ADMIN,
        type="compte",
        action="update",
        succes=(302,),
    ),
    Cas("administration:equipe", autorises=GESTIONNAIRES, objet=False, type="affectation"),
    Cas(
        "administration:role_retirer",
        methode="post",
        donnees=lambda s: {"affectation": Affectation.objects.get(utilisateur=s.referent_a2).pk},
        autorises={"admin", "chef_a"},
        type="affectation",
        action="delete",
        succes=(302,),
    ),
    Cas("administration:invitations", autorises=GESTIONNAIRES, objet=False, type="invitation"),
    Cas("administration:inviter", autorises=GESTIONNAIRES, objet=False, type="invitation"),
    # chef_b may use the form but not for lycée A: the form refuses (tests/acces/test_invitations.py).
    Cas(
        "administration:inviter",
        methode="post",
        donnees=lambda s: {
            "email": "nouveau.referent@test.fr",
            "role": "referent",
            "etablissement": s.lycee_a.pk,
            "date_volontariat": "01/06/2026",
        },
        autorises=GESTIONNAIRES,
        objet=False,
        type="invitation",
        action="create",
        succes=(200, 302),
    ),
    Cas(
        "administration:invitation_annuler",
        kwargs=lambda s: {"uuid": _invitation_a(s).uuid},
        methode="post",
        autorises={"admin", "chef_a"},
        type="invitation",
        action="delete",
        succes=(302,),
    ),
    Cas("administration:journal", autorises=ADMIN, objet=False, type="journal"),
    # Exports of the administration lists: GET streams the file, POST prepares it in the background.
    *[
        Cas(
            f"administration:{nom}_export",
            kwargs=lambda s: {"format": "csv"},
            autorises=autorises,
            objet=False,
            type="export",
            action="export",
        )
        for nom, autorises in EXPORTS_ADMIN
    ],
    *[
        Cas(
            f"administration:{nom}_export",
            kwargs=lambda s: {"format": "xlsx"},
            methode="post",
            autorises=autorises,
            objet=False,
            type="export",
            action="export",
            succes=(302,),
        )
        for nom, autorises in EXPORTS_ADMIN
    ],
    # A background export is its requester's only (chef_a here): everybody else, the administrator included, 404.
    Cas(
        "exports:detail", kwargs=lambda s: {"uuid": _export_fichier(s).uuid}, autorises={"chef_a"}, type="page_export"
    ),
    Cas(
        "exports:telecharger",
        kwargs=lambda s: {"uuid": _export_fichier(s).uuid},
        autorises={"chef_a"},
        type="export",
        action="export",
    ),
]

"""Access matrix of the parcours URLs (see tests/matrice.py)."""

import uuid

from tests.matrice import MEMBRES, Cas

LECTEURS_A = {"chef_a", "referent_a", "conseiller_a", "psy_a", "mlds_a"}
REDACTEURS_A = {"chef_a", "referent_a", "conseiller_a"}
CLOTURE_A = {"chef_a", "referent_a"}
CHEFS = {"chef_a", "chef_b"}
OFFRE = {"chef_a", "chef_b", "referent_a", "referent_a2", "conseiller_a", "conseiller_b"}
APPEL = OFFRE


def _offre(s):
    """An action of the offer carried by lycée A (created once per scenario)."""
    from parcours.models import OffreAction

    if not hasattr(s, "offre_a"):
        s.offre_a = OffreAction.objects.create(type="tre", intitule="Atelier CV", etablissement=s.lycee_a)
    return {"uuid": s.offre_a.uuid}


def _i(s):
    return {"uuid": s.inscription_a.uuid}


def _i_sortie(s):
    """A closed parcours of lycée A (its reopening is the chef's, ADR 0012)."""
    import datetime

    from tests.eleves.factories import JeuneFactory
    from tests.parcours.factories import InscriptionFactory

    if not hasattr(s, "inscription_sortie_a"):
        s.inscription_sortie_a = InscriptionFactory(
            jeune=JeuneFactory(etablissement=s.lycee_a),
            campagne=s.campagne,
            referent=s.referent_a,
            statut="sortie",
            date_sortie=datetime.date(2026, 12, 1),
            motif_sortie="abandon",
            situation_sortie="inconnue",
        )
    return {"uuid": s.inscription_sortie_a.uuid}


def _jeton(s):
    """The secret calendar link: whoever holds it reads the feed, without logging in (revocable)."""
    from parcours.models import Inscription

    if not s.inscription_a.jeton_ics:
        s.inscription_a.jeton_ics = uuid.uuid4()
        Inscription.objects.filter(pk=s.inscription_a.pk).update(jeton_ics=s.inscription_a.jeton_ics)
    return {"jeton": s.inscription_a.jeton_ics}


def _cellule_a(s):
    """One cell of the register: parcours A, the morning of its saved half-day, sent as «Retard»."""
    cle = f"{s.inscription_a.uuid}_{s.presence_a.date:%Y%m%d}_{s.presence_a.periode}"
    return {f"os_{cle}": s.presence_a.statut, f"om_{cle}": s.presence_a.motif, f"s_{cle}": "retard"}


def _evenement_a(s):
    """A forum published by lycée A (same bassin as lycée B: shared with it), referent_a's young person registered."""
    import datetime as dt

    from django.utils import timezone

    from parcours.models import Evenement, ParticipationEvenement

    if not hasattr(s, "evenement_a"):
        s.evenement_a = Evenement.objects.create(
            type="forum",
            intitule="Forum de l'alternance",
            lieu="Gymnase",
            etablissement=s.lycee_a,
            debut=timezone.now() + dt.timedelta(days=10),
        )
        ParticipationEvenement.objects.create(evenement=s.evenement_a, jeune=s.jeune_a, inscrit_par=s.chef_a)
    return s.evenement_a


CAS = [
    Cas("parcours:evenements", type="evenement", action="read", autorises=OFFRE, objet=False),
    Cas(
        "parcours:evenements",
        methode="post",
        type="evenement",
        action="create",
        autorises=OFFRE,
        objet=False,
        donnees=lambda s: {
            "type": "salon",
            "intitule": "Salon",
            "lieu": "Parc",
            "debut": "2026-12-01T09:00",
            "etablissement": s.lycee_a.pk,
        },
        succes=(200, 302),
    ),
    Cas(
        "parcours:evenement",
        kwargs=lambda s: {"uuid": _evenement_a(s).uuid},
        type="evenement",
        action="read",
        autorises=OFFRE,
    ),
    Cas(
        "parcours:evenement",
        kwargs=lambda s: {"uuid": _evenement_a(s).uuid},
        methode="post",
        type="evenement",
        action="update",
        autorises={"chef_a", "referent_a", "conseiller_a"},
        donnees=lambda s: {"jeunes": [str(s.jeune_a.uuid)]},
        succes=(302,),
    ),
    Cas("parcours:liste", type="inscription", action="read", autorises=CHEFS, objet=False),
    Cas(
        "parcours:export",
        kwargs=lambda s: {"format": "csv"},
        type="export",
        action="export",
        autorises=CHEFS,
        objet=False,
    ),
    Cas(
        "parcours:export",
        kwargs=lambda s: {"format": "xlsx"},
        methode="post",
        type="export",
        action="export",
        autorises=CHEFS,
        objet=False,
        succes=(302,),
    ),
    Cas(
        "parcours:offre_export",
        kwargs=lambda s: {"format": "xlsx"},
        type="export",
        action="export",
        autorises=OFFRE,
        objet=False,
    ),
    Cas(
        "parcours:offre_export",
        kwargs=lambda s: {"format": "csv"},
        methode="post",
        type="export",
        action="export",
        autorises=OFFRE,
        objet=False,
        succes=(302,),
    ),
    Cas("parcours:export_siecle", type="export", action="export", autorises=CHEFS, objet=False),
    Cas("parcours:export_gratifications", type="export", action="export", autorises=CHEFS, objet=False),
    # By period and lycée (ADR 0022): lycée A's UAI is lycée A's chef's only; anyone else gets 404.
    Cas(
        "parcours:export_gratifications",
        type="export",
        action="export",
        autorises={"chef_a"},
        objet=False,
        donnees=lambda s: {"du": "2026-09-01", "au": "31/12/2026", "lycee": s.lycee_a.uai},
    ),
    Cas("parcours:offre", type="offre", action="read", autorises=OFFRE, objet=False),
    Cas(
        "parcours:offre",
        methode="post",
        donnees=lambda s: {"type": "tre", "intitule": "Atelier", "etablissement": ""},
        type="offre",
        action="create",
        autorises=OFFRE,
        objet=False,
    ),
    # edited by the staff of the lycée carrying it (chef, référent) and the counsellors covering it
    Cas(
        "parcours:offre_modifier",
        kwargs=_offre,
        type="offre",
        action="update",
        autorises={"chef_a", "referent_a", "referent_a2", "conseiller_a"},
    ),
    Cas("parcours:offre_importer", type="offre", action="create", autorises=OFFRE, objet=False),
    Cas(
        "parcours:inscrire",
        kwargs=lambda s: {"jeune_uuid": s.jeune_a.uuid},
        type="inscription",
        action="create",
        autorises={"chef_a"},
    ),
    Cas("parcours:detail", kwargs=_i, type="inscription", action="read", autorises=LECTEURS_A),
    Cas("parcours:modifier", kwargs=_i, type="inscription", action="update", autorises=REDACTEURS_A),
    Cas(
        "parcours:modifier",
        kwargs=_i,
        methode="post",
        donnees=lambda s: {"version": 0},
        type="inscription",
        action="update",
        autorises=REDACTEURS_A,
    ),
    Cas("parcours:actions", kwargs=_i, type="action", action="read", autorises=LECTEURS_A),
    Cas(
        "parcours:actions",
        kwargs=_i,
        methode="post",
        donnees=lambda s: {"intitule": ""},
        type="action",
        action="create",
        autorises=REDACTEURS_A,
    ),
    Cas(
        "parcours:action",
        kwargs=lambda s: {"uuid": s.inscription_a.uuid, "action_uuid": s.action_a.uuid},
        type="action",
        action="update",
        autorises=REDACTEURS_A,
    ),
    Cas("parcours:pfmp", kwargs=_i, type="pfmp", action="read", autorises=LECTEURS_A),
    Cas(
        "parcours:pfmp",
        kwargs=_i,
        methode="post",
        donnees=lambda s: {"entreprise": ""},
        type="pfmp",
        action="create",
        autorises=REDACTEURS_A,
    ),
    Cas(
        "parcours:pfmp_modifier",
        kwargs=lambda s: {"uuid": s.inscription_a.uuid, "pfmp_uuid": s.pfmp_a.uuid},
        type="pfmp",
        action="update",
        autorises=REDACTEURS_A,
    ),
    Cas("parcours:emploi_du_temps", kwargs=_i, type="emploi_du_temps", action="read", autorises=LECTEURS_A),
    # Slots are added, moved and removed from the tab too (an incomplete slot here: the form answers with its errors).
    Cas(
        "parcours:emploi_du_temps",
        kwargs=_i,
        methode="post",
        donnees=lambda s: {"formulaire": "creneau", "action": s.action_a.pk, "jour": "0"},
        type="emploi_du_temps",
        action="update",
        autorises=REDACTEURS_A,
    ),
    Cas("parcours:emploi_du_temps_pdf", kwargs=_i, type="pdf", action="read", autorises=LECTEURS_A),
    Cas(
        "parcours:jeton_ics",
        kwargs=_i,
        methode="post",
        type="emploi_du_temps",
        action="update",
        autorises=REDACTEURS_A,
    ),
    # Public by design: the secret link is the credential (anonymous included), revocable by the référent.
    Cas("parcours:ics", kwargs=_jeton, type="ics", action="read", autorises=set(MEMBRES), public=True),
    Cas("parcours:presences", kwargs=_i, type="presence", action="read", autorises=LECTEURS_A),
    Cas(
        "parcours:presences",
        kwargs=_i,
        methode="post",
        donnees=lambda s: {},
        type="presence",
        action="update",
        autorises=REDACTEURS_A,
    ),
    # The register: open to whoever records attendance (an empty register for those who follow nobody that day);
    # a posted cell of a parcours the user may not record is refused as a whole (404).
    Cas("parcours:appel", type="presence", action="read", autorises=APPEL, objet=False),
    Cas(
        "parcours:appel",
        methode="post",
        donnees=_cellule_a,
        type="presence",
        action="update",
        autorises=REDACTEURS_A,
        objet=False,
    ),
    Cas("parcours:appel_semaine", type="presence", action="read", autorises=APPEL, objet=False),
    Cas("parcours:points", kwargs=_i, type="note", action="read", autorises=LECTEURS_A),
    Cas(
        "parcours:points",
        kwargs=_i,
        methode="post",
        donnees=lambda s: {"contenu": ""},
        type="note",
        action="create",
        autorises=REDACTEURS_A,
    ),
    Cas("parcours:bilan", kwargs=_i, type="bilan", action="read", autorises=LECTEURS_A),
    Cas(
        "parcours:bilan",
        kwargs=_i,
        methode="post",
        donnees=lambda s: {"observations": "RAS"},
        type="bilan",
        action="update",
        autorises=REDACTEURS_A,
    ),
    Cas("parcours:bilan_pdf", kwargs=_i, type="pdf", action="read", autorises=LECTEURS_A),
    Cas("parcours:bilan_envoyer", kwargs=_i, methode="post", type="bilan", action="update", autorises=CLOTURE_A),
    Cas("parcours:sortie", kwargs=_i, type="inscription", action="update", autorises=CLOTURE_A),
    Cas(
        "parcours:sortie",
        kwargs=_i,
        methode="post",
        donnees=lambda s: {"version": 0},
        type="inscription",
        action="update",
        autorises=CLOTURE_A,
    ),
    Cas("parcours:rouvrir", kwargs=_i_sortie, type="inscription", action="update", autorises={"chef_a"}),
    Cas(
        "parcours:rouvrir",
        kwargs=_i_sortie,
        methode="post",
        donnees=lambda s: {"version": 0},
        type="inscription",
        action="update",
        autorises={"chef_a"},
    ),
]

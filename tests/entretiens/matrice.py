"""Access matrix of the entretiens URLs (see tests/matrice.py)."""

import datetime

from django.utils import timezone

from tests.matrice import Cas

DIRECTION_ET_ML = {"chef_a", "chef_b", "conseiller_a", "conseiller_b"}
PAGE_REUNIONS = DIRECTION_ET_ML | {"psy_a", "mlds_a"}
REUNION_A = {"chef_a", "conseiller_a"}
ENTRETIEN_A = {"chef_a", "referent_a", "conseiller_a", "psy_a", "mlds_a"}


def creneau_a(s):
    from entretiens.models import CreneauEntretien

    if not hasattr(s, "creneau_a"):
        s.creneau_a = CreneauEntretien.objects.create(
            etablissement=s.lycee_a,
            debut=timezone.now() + datetime.timedelta(days=3),
            lieu="Bureau 12",
            propose_par=s.conseiller_a,
        )
    return s.creneau_a


def _demain():
    return (timezone.localdate() + datetime.timedelta(days=5)).isoformat()


def donnees_reunion(s):
    return {"etablissement": s.lycee_a.pk, "jour": _demain(), "heure": "14:00", "lieu": "CDI", "duree_minutes": 90}


def donnees_entretien(s):
    # Yesterday: an interview marked «réalisé» is in the past (whatever the hour the suite runs).
    hier = timezone.localdate() - datetime.timedelta(days=1)
    return {"type": "entree", "statut": "realise", "jour": hier.isoformat(), "heure": "10:00"}


CAS = [
    Cas("entretiens:reunions", type="reunion", autorises=PAGE_REUNIONS, objet=False),
    Cas("entretiens:reunion_creer", type="reunion", action="create", autorises=DIRECTION_ET_ML, objet=False),
    Cas("entretiens:reunion_detail", lambda s: {"uuid": s.reunion_a.uuid}, type="reunion", autorises=REUNION_A),
    Cas(
        "entretiens:reunions_export",
        lambda s: {"format": "csv"},
        type="export",
        action="export",
        autorises=PAGE_REUNIONS,
        objet=False,
    ),
    Cas(
        "entretiens:reunions_export",
        lambda s: {"format": "xlsx"},
        methode="post",
        type="export",
        action="export",
        autorises=PAGE_REUNIONS,
        objet=False,
        succes=(302,),
    ),
    Cas(
        "entretiens:reunion_invitations_export",
        lambda s: {"uuid": s.reunion_a.uuid, "format": "xlsx"},
        type="export",
        action="export",
        autorises=REUNION_A,
    ),
    Cas(
        "entretiens:reunion_invitations_export",
        lambda s: {"uuid": s.reunion_a.uuid, "format": "csv"},
        methode="post",
        type="export",
        action="export",
        autorises=REUNION_A,
        succes=(302,),
    ),
    Cas(
        "entretiens:reunion_modifier",
        lambda s: {"uuid": s.reunion_a.uuid},
        type="reunion",
        action="update",
        autorises=REUNION_A,
    ),
    Cas(
        "entretiens:reunion_modifier",
        lambda s: {"uuid": s.reunion_a.uuid},
        methode="post",
        donnees=donnees_reunion,
        type="reunion",
        action="update",
        autorises=REUNION_A,
        succes=(302,),
    ),
    Cas("entretiens:reunion_inviter", lambda s: {"uuid": s.reunion_a.uuid}, type="invitation", autorises=REUNION_A),
    Cas(
        "entretiens:reunion_inviter",
        lambda s: {"uuid": s.reunion_a.uuid},
        methode="post",
        donnees=lambda s: {"tous": "1"},
        type="invitation",
        action="create",
        autorises=REUNION_A,
    ),
    Cas("entretiens:reunion_presences", lambda s: {"uuid": s.reunion_a.uuid}, type="invitation", autorises=REUNION_A),
    Cas(
        "entretiens:reunion_presences",
        lambda s: {"uuid": s.reunion_a.uuid},
        methode="post",
        donnees=lambda s: {f"presence-{s.invitation_a.uuid}": "present"},
        type="invitation",
        action="update",
        autorises=REUNION_A,
    ),
    Cas(
        "entretiens:reunion_inviter_ml",
        lambda s: {"uuid": s.reunion_a.uuid},
        methode="post",
        type="reunion",
        action="update",
        autorises=REUNION_A,
    ),
    Cas("entretiens:reunion_emargement", lambda s: {"uuid": s.reunion_a.uuid}, type="pdf", autorises=REUNION_A),
    Cas("entretiens:reunion_courriers", lambda s: {"uuid": s.reunion_a.uuid}, type="pdf", autorises=REUNION_A),
    Cas("entretiens:creneau_creer", type="creneau", action="create", autorises=DIRECTION_ET_ML, objet=False),
    Cas("entretiens:creneau_reserver", lambda s: {"uuid": creneau_a(s).uuid}, type="creneau", autorises=REUNION_A),
    Cas(
        "entretiens:creneau_reserver",
        lambda s: {"uuid": creneau_a(s).uuid},
        methode="post",
        donnees=lambda s: {"jeune": s.jeune_a.pk, "type": "entree"},
        type="entretien",
        action="create",
        autorises=REUNION_A,
    ),
    Cas(
        "entretiens:entretien_creer",
        lambda s: {"jeune_uuid": s.jeune_a.uuid},
        type="entretien",
        action="create",
        autorises=ENTRETIEN_A,
    ),
    Cas(
        "entretiens:entretien_creer",
        lambda s: {"jeune_uuid": s.jeune_a.uuid},
        methode="post",
        donnees=donnees_entretien,
        type="entretien",
        action="create",
        autorises=ENTRETIEN_A,
        succes=(302,),
    ),
    Cas(
        "entretiens:entretien_detail", lambda s: {"uuid": s.entretien_a.uuid}, type="entretien", autorises=ENTRETIEN_A
    ),
    Cas(
        "entretiens:entretien_modifier",
        lambda s: {"uuid": s.entretien_a.uuid},
        type="entretien",
        action="update",
        autorises=ENTRETIEN_A,
    ),
    Cas(
        "entretiens:entretien_modifier",
        lambda s: {"uuid": s.entretien_a.uuid},
        methode="post",
        donnees=donnees_entretien,
        type="entretien",
        action="update",
        autorises=ENTRETIEN_A,
        succes=(302,),
    ),
    Cas("entretiens:entretien_pdf", lambda s: {"uuid": s.entretien_a.uuid}, type="pdf", autorises=ENTRETIEN_A),
]

# Cases outside the generic semantics, run by tests/entretiens/test_matrice.py only: chef_b and conseiller_b may
# create meetings, but posting one for lycée A gives them the form back with an error (200) and creates nothing.
CAS_SUPPLEMENTAIRES = [
    Cas(
        "entretiens:reunion_creer",
        methode="post",
        donnees=donnees_reunion,
        type="reunion",
        action="create",
        autorises={"chef_a", "conseiller_a"},
        objet=False,
        succes=(302,),
    ),
]

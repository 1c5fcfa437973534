"""Access matrix of the devenir URLs (see tests/matrice.py). The anonymous pages answer whoever holds a live link;
wrong, expired, used and revoked links are tested in tests/devenir/test_liens.py and test_devenir.py."""

import datetime

from tests.matrice import MEMBRES, Cas
from tests.parcours.matrice import LECTEURS_A

SUIVI_A = {"chef_a", "referent_a", "conseiller_a"}


def _i(s):
    return {"uuid": s.inscription_a.uuid}


def _point(s):
    from devenir.models import PointDevenir

    if not hasattr(s, "point_devenir_a"):
        s.point_devenir_a = PointDevenir.objects.create(
            inscription=s.inscription_a, jalon_mois=3, date_prevue=datetime.date(2026, 11, 20)
        )
    return s.point_devenir_a


def _i_point(s):
    return {"uuid": s.inscription_a.uuid, "jalon": _point(s).jalon_mois}


def _i_accord(s):
    from devenir.models import Consentement

    Consentement.objects.get_or_create(inscription=s.inscription_a, defaults={"accord_liaison": True})
    return _i(s)


def _jeton_reponse(s):
    from django.utils import timezone

    from devenir.models import LienJeune

    if not hasattr(s, "jeton_reponse_a"):
        jeton, emp = LienJeune.nouveau_jeton()
        LienJeune.objects.create(
            inscription=s.inscription_a,
            usage="devenir",
            point=_point(s),
            empreinte=emp,
            expire_le=timezone.now() + datetime.timedelta(days=30),
        )
        s.jeton_reponse_a = jeton
    return {"jeton": s.jeton_reponse_a}


def _jeton_espace(s):
    from devenir.services import creer_espace

    if not hasattr(s, "jeton_espace_a"):
        s.jeton_espace_a = creer_espace(inscription=s.inscription_a, user=s.referent_a)
    return {"jeton": s.jeton_espace_a}


CAS = [
    Cas("devenir:statistiques", type="statistiques", objet=False, autorises={"pilotage", "chef_a", "chef_b"}),
    Cas("devenir:parcours", kwargs=_i, type="inscription", action="read", autorises=LECTEURS_A),
    Cas(
        "devenir:consentement",
        kwargs=_i,
        methode="post",
        donnees=lambda s: {"courriel_jeune": "jeune@exemple.fr", "accord_devenir": "on"},
        type="inscription",
        action="update",
        autorises=SUIVI_A,
    ),
    Cas(
        "devenir:point",
        kwargs=_i_point,
        methode="post",
        donnees=lambda s: {"p3-situation": "emploi", "p3-recontact": "oui"},
        type="inscription",
        action="update",
        autorises=SUIVI_A,
    ),
    Cas("devenir:espace_lien", kwargs=_i, methode="post", type="inscription", action="create", autorises=SUIVI_A),
    Cas(
        "devenir:espace_lien",
        kwargs=_i,
        methode="post",
        donnees=lambda s: {"revoquer": "1"},
        type="inscription",
        action="delete",
        autorises=SUIVI_A,
    ),
    Cas("devenir:fiche_liaison", kwargs=_i_accord, type="pdf", action="read", autorises=SUIVI_A, succes=(200,)),
    # The token is the credential: any holder reads (logged in or not); the matrix runs each member in a rolled-back
    # savepoint, so the one-time link is still unused for the next one.
    Cas("devenir:reponse", kwargs=_jeton_reponse, type="devenir", autorises=set(MEMBRES), public=True),
    Cas("devenir:espace", kwargs=_jeton_espace, type="devenir", autorises=set(MEMBRES), public=True),
]

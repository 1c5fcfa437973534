"""Access matrix cases for the RGPD screens (rgpd/urls.py); see tests/matrice.py."""

from tests.matrice import Cas

CAS = [
    Cas(
        url="rgpd:export",
        kwargs=lambda s: {"jeune_uuid": s.jeune_a.uuid},
        type="export",
        action="export",
        autorises={"chef_a"},
    ),
    Cas(
        url="rgpd:effacer",
        kwargs=lambda s: {"jeune_uuid": s.jeune_a.uuid},
        type="jeune",
        action="read",
        autorises={"chef_a"},
    ),
    Cas(
        url="rgpd:effacer",
        kwargs=lambda s: {"jeune_uuid": s.jeune_a.uuid},
        methode="post",
        donnees=lambda s: {"confirmation": "on"},
        type="jeune",
        action="delete",
        autorises={"chef_a"},
    ),
]

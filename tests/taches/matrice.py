"""Access cases of the notification URLs: everybody logged in reaches their own list and preferences; a notification
is reachable only by its recipient (others get 404)."""

from tests.matrice import MEMBRES, Cas

TOUS = set(MEMBRES)


def _notification_de_chef_a(s):
    from avenirpro.models import Notification

    n, _ = Notification.objects.get_or_create(
        destinataire=s.chef_a, cle="matrice", defaults={"sujet": "Parcours à clôturer", "lien": "/"}
    )
    return n


CAS = [
    Cas("notifications:liste", type="notification", action="read", autorises=TOUS, objet=False),
    Cas(
        "notifications:marquer_lue",
        kwargs=lambda s: {"uuid": _notification_de_chef_a(s).uuid},
        methode="post",
        type="notification",
        action="update",
        autorises={"chef_a"},
        objet=True,
    ),
    Cas(
        "notifications:tout_marquer_lu",
        methode="post",
        type="notification",
        action="update",
        autorises=TOUS,
        objet=False,
    ),
    Cas("notifications:preferences", type="notification", action="read", autorises=TOUS, objet=False),
    Cas(
        "notifications:preferences",
        methode="post",
        donnees=lambda s: {"frequence": "resume"},
        type="notification",
        action="update",
        autorises=TOUS,
        objet=False,
    ),
]

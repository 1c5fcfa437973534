"""Calendar of local events (salons, forums, job dating): published like the local offer, each team registers the
young people it follows. Registered young people of another lycée are counted, never named."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction

from avenirpro.models import Campagne
from parcours.models import Inscription, ParticipationEvenement


def jeunes_inscriptibles(user):
    """The young people `user` may register: those whose parcours of the current campaign they can see (not closed)."""
    from eleves.models import Jeune

    ids = (
        Inscription.objects.visibles_par(user)
        .filter(campagne=Campagne.courante())
        .exclude(statut=Inscription.Statut.SORTIE)
        .values("jeune_id")
    )
    return Jeune.objects.filter(pk__in=ids).order_by("nom", "prenoms", "pk")


@transaction.atomic
def inscrire(*, user, evenement, jeunes) -> int:
    """Register these young people (all or nothing: one outside `jeunes_inscriptibles` refuses the whole list)."""
    permis = set(jeunes_inscriptibles(user).filter(pk__in=[j.pk for j in jeunes]).values_list("pk", flat=True))
    if any(j.pk not in permis for j in jeunes):
        raise PermissionDenied
    n = 0
    for jeune in jeunes:
        _, cree = ParticipationEvenement.objects.get_or_create(
            evenement=evenement, jeune=jeune, defaults={"inscrit_par": user}
        )
        n += cree
    return n

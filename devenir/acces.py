"""Who follows the devenir of a parcours (issue 19): after the exit the parcours is closed to edits
(`peut_modifier_parcours` leaves it to the chef), but its référent and its counsellor keep following the young
person at 3 and 6 months, with the direction of the lycée."""

from avenirpro.acces import est_chef


def peut_suivre_devenir(user, inscription) -> bool:
    uid = getattr(user, "pk", None)
    return est_chef(user, inscription.etablissement_id) or (
        uid is not None and uid in (inscription.referent_id, inscription.conseiller_id)
    )

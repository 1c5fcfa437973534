"""Demo: a few contact attempts on the demo cohort (called by seed_demo, idempotent)."""

import datetime
import random

from django.utils import timezone


def completer(*, campagne, lycees, mission_locale, users, creer):
    from avenirpro.acces import peut_contacter
    from avenirpro.models import Role
    from eleves.models import Contact, Reperage
    from eleves.services import enregistrer_contact

    if campagne is None:
        return
    chef = users.get(Role.CHEF)
    rnd = random.Random(42)
    scenarios = [
        [("telephone", "injoignable", ""), ("sms", "joint", "")],
        [("telephone", "interesse", "mission_locale")],
        [("courriel", "injoignable", ""), ("courrier", "injoignable", "")],
        [("rendez_vous", "refus", "")],
        [("telephone", "solution_trouvee", "")],
        [("telephone", "joint", "france_travail")],
    ]
    for lycee in lycees:
        reperages = (
            Reperage.objects.filter(campagne=campagne, jeune__etablissement=lycee)
            .exclude(typologie=Reperage.Typologie.AVEC_SOLUTION)
            .select_related("jeune", "campagne")
            .order_by("jeune__nom", "pk")[: len(scenarios)]
        )
        for reperage, tentatives in zip(reperages, scenarios, strict=False):
            if Contact.objects.filter(jeune=reperage.jeune, campagne=campagne).exists():
                continue  # idempotent
            auteur = chef if chef and peut_contacter(chef, reperage.jeune) else None
            debut = timezone.make_aware(datetime.datetime(campagne.session, 7, 3, 9, 0))
            for i, (canal, issue, relais) in enumerate(tentatives):
                enregistrer_contact(
                    auteur=auteur,
                    reperage=reperage,
                    date=debut + datetime.timedelta(days=2 * i, hours=rnd.randint(0, 6)),
                    canal=canal,
                    issue=issue,
                    note="Contact de démonstration.",
                    relais_estival=relais,
                )

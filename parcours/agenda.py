"""The young person's timetable as an iCalendar feed (the secret link `parcours:ics`), written by the one calendar
writer, `avenirpro.calendrier`: each weekly slot is one event with an RRULE, the public holidays and school
holidays of the lycée's zone (and the days after the parcours' limit) are left out as EXDATE; PFMPs are whole-day
events."""

import datetime

from avenirpro import calendrier
from parcours import regles
from parcours.models import Creneau


def jours_exclus(inscription, jours):
    """The dates of `jours` the young person has no session: after the limit, public holidays, school holidays."""
    zone = inscription.etablissement.zone_vacances
    departement = inscription.etablissement.departement
    return {
        j
        for j in jours
        if j > inscription.date_limite or regles.jour_ferie(j, departement) or regles.vacances_scolaires(j, zone)
    }


def ics_emploi_du_temps(inscription) -> bytes:
    cal = calendrier.nouveau("Emploi du temps", nom="AvenirPro+ – emploi du temps")
    for c in Creneau.objects.filter(action__inscription=inscription).select_related("action"):
        jours = list(c.dates())
        calendrier.serie_hebdomadaire(
            cal,
            uid=f"creneau-{c.pk}@avenirpro",
            jours=jours,
            exclus=jours_exclus(inscription, jours),
            heure_debut=c.heure_debut,
            heure_fin=c.heure_fin,
            resume=c.action.intitule,
            lieu=c.action.lieu or c.action.get_type_lieu_display(),
        )
    for p in inscription.pfmps.all():
        calendrier.evenement(
            cal,
            uid=f"pfmp-{p.uuid}@avenirpro",
            debut=p.date_debut,
            fin=p.date_fin + datetime.timedelta(days=1),
            resume=f"{p.get_type_display()} – {p.entreprise}",
        )
    return calendrier.en_octets(cal)

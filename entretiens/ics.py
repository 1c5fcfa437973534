"""The collective meeting as an iCalendar event (attached to the invitation sent to the mission locale), written by
the one calendar writer, `avenirpro.calendrier`."""

import datetime

from django.conf import settings

from avenirpro import calendrier


def ics_reunion(reunion, methode: str = "REQUEST") -> bytes:
    cal = calendrier.nouveau("Réunion d'information collective", methode=methode)
    description = [
        f"Réunion d'information collective AvenirPro+ organisée par {reunion.etablissement.nom}.",
        f"Lieu : {reunion.lieu}.",
    ]
    if reunion.intervenants:
        description.append(f"Intervenant(e)s de la mission locale : {reunion.intervenants}.")
    if reunion.capacite:
        description.append(f"Capacité : {reunion.capacite} places.")
    ev = calendrier.evenement(
        cal,
        uid=f"reunion-{reunion.uuid}@avenirpro",
        debut=reunion.debut.astimezone(datetime.UTC),
        fin=reunion.fin.astimezone(datetime.UTC),
        resume=f"AvenirPro+ – Réunion d'information collective – {reunion.etablissement.nom}",
        lieu=reunion.lieu,
        description="\n".join(description),
    )
    calendrier.participant(ev, "organizer", _adresse_organisateur(reunion), reunion.etablissement.nom)
    if reunion.mission_locale and reunion.mission_locale.email:
        calendrier.participant(
            ev, "attendee", reunion.mission_locale.email, reunion.mission_locale.nom, role="REQ-PARTICIPANT"
        )
    return calendrier.en_octets(cal)


def _adresse_organisateur(reunion) -> str:
    if reunion.etablissement.email:
        return reunion.etablissement.email
    adresse = settings.DEFAULT_FROM_EMAIL
    return adresse.split("<")[-1].rstrip(">").strip()

"""The collective meeting as an iCalendar event (attached to the invitation sent to the mission locale)."""

import datetime

from django.conf import settings
from django.utils import timezone


def ics_reunion(reunion, methode: str = "REQUEST") -> bytes:
    from icalendar import Calendar, Event, vCalAddress, vText

    cal = Calendar()
    cal.add("prodid", "-//AvenirPro+//Réunion d'information collective//FR")
    cal.add("version", "2.0")
    cal.add("method", methode)
    ev = Event()
    ev.add("uid", f"reunion-{reunion.uuid}@avenirpro")
    ev.add("dtstamp", timezone.now().astimezone(datetime.UTC))
    ev.add("dtstart", reunion.debut.astimezone(datetime.UTC))
    ev.add("dtend", reunion.fin.astimezone(datetime.UTC))
    ev.add("summary", f"AvenirPro+ – Réunion d'information collective – {reunion.etablissement.nom}")
    ev.add("location", vText(reunion.lieu))
    description = [
        f"Réunion d'information collective AvenirPro+ organisée par {reunion.etablissement.nom}.",
        f"Lieu : {reunion.lieu}.",
    ]
    if reunion.intervenants:
        description.append(f"Intervenant(e)s de la mission locale : {reunion.intervenants}.")
    if reunion.capacite:
        description.append(f"Capacité : {reunion.capacite} places.")
    ev.add("description", "\n".join(description))
    organisateur = vCalAddress(f"mailto:{_adresse_organisateur(reunion)}")
    organisateur.params["cn"] = vText(reunion.etablissement.nom)
    ev["organizer"] = organisateur
    if reunion.mission_locale and reunion.mission_locale.email:
        participant = vCalAddress(f"mailto:{reunion.mission_locale.email}")
        participant.params["cn"] = vText(reunion.mission_locale.nom)
        participant.params["role"] = vText("REQ-PARTICIPANT")
        ev.add("attendee", participant, encode=0)
    cal.add_component(ev)
    return cal.to_ical()


def _adresse_organisateur(reunion) -> str:
    if reunion.etablissement.email:
        return reunion.etablissement.email
    adresse = settings.DEFAULT_FROM_EMAIL
    return adresse.split("<")[-1].rstrip(">").strip()

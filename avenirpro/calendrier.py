"""The one calendar writer (issue 15): every iCalendar file of AvenirPro+ is built here with the icalendar library.

RFC 5545 as clients read it: lines folded at 75 octets (by the library), times in Europe/Paris with their
`VTIMEZONE` (generated from the zoneinfo database by `add_missing_timezones`), weekly slots as one event with an
`RRULE` and the holidays or closures it skips as `EXDATE`. The apps build their feeds from these pieces
(`entretiens.ics.ics_reunion`, `parcours.agenda.ics_emploi_du_temps`): they never import icalendar themselves
(tests/avenirpro/test_un_seul_chemin.py).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, vCalAddress, vText

PARIS = ZoneInfo("Europe/Paris")


def nouveau(produit: str, *, nom: str = "", methode: str = "") -> Calendar:
    cal = Calendar()
    cal.add("prodid", f"-//AvenirPro+//{produit}//FR")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if methode:
        cal.add("method", methode)
    if nom:
        cal.add("x-wr-calname", nom)
    return cal


def _a_paris(jour: datetime.date, heure: datetime.time) -> datetime.datetime:
    return datetime.datetime.combine(jour, heure, tzinfo=PARIS)


def evenement(
    cal: Calendar,
    *,
    uid: str,
    debut: datetime.datetime | datetime.date,
    fin: datetime.datetime | datetime.date,
    resume: str,
    lieu: str = "",
    description: str = "",
) -> Event:
    """One event; aware datetimes are written as given (UTC or Europe/Paris), dates as whole days (`fin` excluded)."""
    from django.utils import timezone

    ev = Event()
    ev.add("uid", uid)
    ev.add("dtstamp", timezone.now().astimezone(datetime.UTC))
    ev.add("dtstart", debut)
    ev.add("dtend", fin)
    ev.add("summary", resume)
    if lieu:
        ev.add("location", vText(lieu))
    if description:
        ev.add("description", description)
    cal.add_component(ev)
    return ev


def serie_hebdomadaire(
    cal: Calendar,
    *,
    uid: str,
    jours: Iterable[datetime.date],
    exclus: Iterable[datetime.date],
    heure_debut: datetime.time,
    heure_fin: datetime.time,
    resume: str,
    lieu: str = "",
) -> Event | None:
    """A weekly slot as ONE event: `jours` are its weekly dates, `exclus` those it skips (holidays, closures).

    Written as DTSTART/DTEND in Europe/Paris on the first date kept, `RRULE:FREQ=WEEKLY;UNTIL=` the last date kept
    (in UTC, as RFC 5545 requires with a TZID start) and one `EXDATE` per skipped date between them. Nothing when no
    date is kept."""
    exclus = set(exclus)
    jours = sorted(jours)
    gardes = [j for j in jours if j not in exclus]
    if not gardes:
        return None
    premier, dernier = gardes[0], gardes[-1]
    ev = evenement(
        cal,
        uid=uid,
        debut=_a_paris(premier, heure_debut),
        fin=_a_paris(premier, heure_fin),
        resume=resume,
        lieu=lieu,
    )
    ev.add("rrule", {"freq": "weekly", "until": _a_paris(dernier, heure_debut).astimezone(datetime.UTC)})
    sautes = [_a_paris(j, heure_debut) for j in jours if j in exclus and premier < j < dernier]
    if sautes:
        ev.add("exdate", sautes)
    return ev


def participant(ev: Event, propriete: str, adresse: str, nom: str, role: str = "") -> None:
    """ORGANIZER or ATTENDEE of an invitation (`propriete`), with its common name."""
    valeur = vCalAddress(f"mailto:{adresse}")
    valeur.params["cn"] = vText(nom)
    if role:
        valeur.params["role"] = vText(role)
    ev.add(propriete, valeur, encode=0)


def en_octets(cal: Calendar) -> bytes:
    """The file: the VTIMEZONE of every TZID used is added (RFC 5545 §3.6.5), lines folded at 75 octets.

    The VTIMEZONE is generated from the zoneinfo database over the years a feed can cover (a parcours lasts at most
    a school year), one RDATE property per transition: Mozilla's ical.js (Thunderbird) reads only the first date of a
    multi-valued RDATE, and would otherwise keep winter time all summer (tests/parcours/test_agenda_rfc5545.py)."""
    from django.utils import timezone

    annee = timezone.localdate().year
    cal.add_missing_timezones(first_date=datetime.date(annee - 2, 1, 1), last_date=datetime.date(annee + 3, 1, 1))
    for fuseau in cal.walk("VTIMEZONE"):
        for regle in fuseau.subcomponents:
            if "rdate" not in regle:
                continue
            valeurs = regle.pop("rdate")
            for liste in valeurs if isinstance(valeurs, list) else [valeurs]:
                for d in liste.dts:
                    regle.add("rdate", d.dt)
    return cal.to_ical()

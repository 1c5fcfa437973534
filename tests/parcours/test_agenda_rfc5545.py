"""The timetable feed against RFC 5545 (issue 15): parsed by the icalendar library and by Mozilla's ical.js (the
parser of Thunderbird), VTIMEZONE for Europe/Paris, lines folded at 75 octets, weekly slots as RRULE + EXDATE whose
expansion gives exactly the sessions of the former hand-written feed (one event per session)."""

import datetime
import json
import subprocess
import uuid
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from dateutil.rrule import rrulestr
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from parcours import regles
from tests.parcours.factories import ActionFactory, InscriptionFactory, PFMPFactory

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
D = datetime.date
RACINE = Path(__file__).resolve().parents[2]

# Mozilla's ical.js, as Thunderbird uses it: parse the feed, expand each event's recurrence (RRULE minus EXDATE),
# print every occurrence as [summary, start, end] in UTC (ISO 8601).
LECTEUR_ICALJS = r"""
const ICAL = require("ical.js");
let texte = "";
process.stdin.on("data", (d) => (texte += d));
process.stdin.on("end", () => {
  const cal = new ICAL.Component(ICAL.parse(texte));
  // As Thunderbird does: the times are read in the zone the feed's own VTIMEZONE describes (none is built in).
  for (const tz of cal.getAllSubcomponents("vtimezone")) ICAL.TimezoneService.register(tz);
  const sortie = { fuseaux: cal.getAllSubcomponents("vtimezone").map((t) => t.getFirstPropertyValue("tzid")),
                   occurrences: [] };
  for (const v of cal.getAllSubcomponents("vevent")) {
    const ev = new ICAL.Event(v);
    const utc = (t) => t.isDate ? t.toString() : t.toUnixTime();
    if (!ev.isRecurring()) { sortie.occurrences.push([ev.summary, utc(ev.startDate), utc(ev.endDate)]); continue; }
    const it = ev.iterator();
    for (let t = it.next(); t; t = it.next()) {
      const o = ev.getOccurrenceDetails(t);
      sortie.occurrences.push([ev.summary, utc(o.startDate), utc(o.endDate)]);
    }
  }
  console.log(JSON.stringify(sortie));
});
"""


@pytest.fixture
def inscription(cast):
    """A parcours from 14/09/2026 (limit four months later) with two weekly slots that cross the Toussaint and
    Christmas holidays of zone A, the 11th of November and the parcours' limit, and a PFMP."""
    ins = InscriptionFactory(
        jeune__etablissement=cast.lycee_a, campagne=cast.campagne, statut="en_cours", date_entree=D(2026, 9, 14)
    )
    ins.jeton_ics = uuid.uuid4()
    ins.save(update_fields=["jeton_ics"])
    ins.refresh_from_db()
    longue = ActionFactory(
        inscription=ins,
        intitule="Atelier de techniques de recherche d'emploi, CV; lettre de motivation et simulation d'entretien "
        "d'embauche avec des professionnels",
        lieu="Mission locale de Lyon, 12 rue Édouard-Herriot – salle « Avenir », 2ᵉ étage",
        date_debut=D(2026, 9, 14),
        date_fin=D(2027, 2, 26),
    )
    longue.creneaux.create(jour=2, heure_debut=datetime.time(14), heure_fin=datetime.time(16, 30))
    longue.creneaux.create(jour=0, heure_debut=datetime.time(9), heure_fin=datetime.time(12))
    courte = ActionFactory(
        inscription=ins, intitule="Remise à niveau", date_debut=D(2026, 10, 1), date_fin=D(2026, 10, 31)
    )
    courte.creneaux.create(jour=4, heure_debut=datetime.time(8, 30), heure_fin=datetime.time(10))
    PFMPFactory(inscription=ins, entreprise="Boulangerie Martin", date_debut=D(2026, 11, 16), date_fin=D(2026, 11, 27))
    return ins


def anciennes_seances(ins):
    """The sessions the former hand-written feed listed, one VEVENT each (its loop, kept here as the oracle)."""
    zone = ins.etablissement.zone_vacances
    seances = []
    for action in ins.actions.all():
        for c in action.creneaux.all():
            for jour in c.dates():
                if (
                    jour > ins.date_limite
                    or regles.jour_ferie(jour, ins.etablissement.departement)
                    or regles.vacances_scolaires(jour, zone)
                ):
                    continue
                seances.append(
                    (
                        action.intitule,
                        datetime.datetime.combine(jour, c.heure_debut, tzinfo=PARIS),
                        datetime.datetime.combine(jour, c.heure_fin, tzinfo=PARIS),
                    )
                )
    return sorted(seances)


def _flux(ins) -> bytes:
    r = Client().get(reverse("parcours:ics", kwargs={"jeton": ins.jeton_ics}))
    assert r.status_code == 200 and r["Content-Type"].startswith("text/calendar")
    return r.content


def _exdates(ev):
    valeur = ev.get("exdate")
    listes = valeur if isinstance(valeur, list) else [valeur] if valeur is not None else []
    return {d.dt for liste in listes for d in liste.dts}


def test_flux_valide_rfc5545_et_memes_seances_que_l_ancien(inscription):
    contenu = _flux(inscription)
    # Folded lines of at most 75 octets, CRLF.
    lignes = contenu.split(b"\r\n")
    assert lignes[-1] == b"" and all(len(li) <= 75 for li in lignes)
    assert any(li.startswith(b" ") for li in lignes)  # the long title is folded, not cut
    cal = Calendar.from_ical(contenu)
    # The VTIMEZONE of Europe/Paris, with its summer and winter rules.
    (fuseau,) = cal.walk("VTIMEZONE")
    assert str(fuseau["tzid"]) == "Europe/Paris"
    assert {c.name for c in fuseau.subcomponents} >= {"STANDARD", "DAYLIGHT"}
    evenements = cal.walk("VEVENT")
    series = [ev for ev in evenements if "rrule" in ev]
    assert len(series) == 3 and all(ev["dtstart"].params["TZID"] == "Europe/Paris" for ev in series)
    assert all(_exdates(ev) for ev in series[:2])  # holidays, the 11th of November
    # Expanded by hand (dateutil), the series give exactly the former sessions.
    seances = []
    for ev in series:
        debut, fin = ev.decoded("dtstart"), ev.decoded("dtend")
        regle = rrulestr(ev["rrule"].to_ical().decode(), dtstart=debut)
        exclues = _exdates(ev)
        seances += [(str(ev["summary"]), d, d + (fin - debut)) for d in regle if d not in exclues]
    assert sorted(seances) == anciennes_seances(inscription)
    assert len(seances) > 20
    # No session on the 11th of November, in the Toussaint holidays or after the parcours' limit.
    jours = {d.date() for _, d, _ in seances}
    assert D(2026, 11, 11) not in jours and not jours & {D(2026, 10, 19), D(2026, 10, 26), D(2026, 12, 21)}
    assert max(jours) <= inscription.date_limite
    (pfmp,) = [ev for ev in evenements if "rrule" not in ev]
    assert pfmp.decoded("dtstart") == D(2026, 11, 16) and pfmp.decoded("dtend") == D(2026, 11, 28)


def test_le_flux_s_ouvre_dans_ical_js_le_lecteur_de_thunderbird(inscription):
    contenu = _flux(inscription)
    r = subprocess.run(
        ["node", "-e", LECTEUR_ICALJS], input=contenu, capture_output=True, cwd=RACINE, timeout=60, check=True
    )
    lu = json.loads(r.stdout)
    assert lu["fuseaux"] == ["Europe/Paris"]
    seances = sorted(
        (titre, datetime.datetime.fromtimestamp(debut, PARIS), datetime.datetime.fromtimestamp(fin, PARIS))
        for titre, debut, fin in lu["occurrences"]
        if not isinstance(debut, str)
    )
    assert seances == anciennes_seances(inscription)
    assert [o for o in lu["occurrences"] if isinstance(o[1], str)] == [
        ["PFMP – Boulangerie Martin", "2026-11-16", "2026-11-28"]
    ]

"""The clock audit: the jobs and the date rules at the awkward instants give the same results as at noon.

Instants (`INSTANTS`, listed in docs/horloge.md): 23:59 and 00:01 in Paris and the same instants in UTC, the
Sunday→Monday week boundary, the two daylight-saving nights (last Sunday of March and of October), 31 December →
1 January, 28/29 February → 1 March of a leap year. For each one the sweep, run twice, creates exactly the
notifications a run at noon of the same Paris day creates (same keys, same recipients, none twice); across
midnight a second run adds exactly the notifications of the new day or week; reminders, the four-month limit,
the PFMP cap, the exports' dates, the session expiry and the beat schedule are checked on the same nights.

Run alone with `pytest -m horloge`; `make test` runs it with the rest.
"""

import copy
import datetime
import re
from collections import Counter

import pytest
import time_machine
from django.core import mail
from django.db import transaction
from django.utils import timezone

from avenirpro.exports import neutraliser
from avenirpro.models import Notification
from parcours import regles
from parcours.balayage import balayer
from parcours.models import PFMP, Presence
from tests.avenirpro.factories import CampagneFactory
from tests.eleves.factories import JeuneFactory, ReperageFactory
from tests.horloge import PARIS
from tests.taches.factories import Lycee

pytestmark = [pytest.mark.horloge, pytest.mark.django_db]

UTC = datetime.UTC


def _p(*a):
    return datetime.datetime(*a, tzinfo=PARIS)


def _u(*a):
    return datetime.datetime(*a, tzinfo=UTC)


INSTANTS = {
    "dimanche 23:59 Paris": _p(2026, 11, 29, 23, 59),
    "lundi 00:01 Paris": _p(2026, 11, 30, 0, 1),
    "dimanche 23:59 UTC (lundi 00:59 Paris)": _u(2026, 11, 29, 23, 59),
    "lundi 00:01 UTC (lundi 01:01 Paris)": _u(2026, 11, 30, 0, 1),
    "samedi 23:59 Paris, veille du passage à l'heure d'été": _p(2027, 3, 27, 23, 59),
    "dimanche 01:59 Paris, heure d'été": _p(2027, 3, 28, 1, 59),
    "dimanche 03:01 Paris, heure d'été": _p(2027, 3, 28, 3, 1),
    "dimanche 23:59 Paris, heure d'été": _p(2027, 3, 28, 23, 59),
    "samedi 23:59 Paris, veille du retour à l'heure d'hiver": _p(2026, 10, 24, 23, 59),
    "dimanche 02:30 Paris, première fois": _u(2026, 10, 25, 0, 30),
    "dimanche 02:30 Paris, seconde fois": _u(2026, 10, 25, 1, 30),
    "dimanche 23:59 UTC, heure d'hiver": _u(2026, 10, 25, 23, 59),
    "31/12 23:59 Paris": _p(2026, 12, 31, 23, 59),
    "01/01 00:01 Paris": _p(2027, 1, 1, 0, 1),
    "31/12 23:59 UTC (01/01 00:59 Paris)": _u(2026, 12, 31, 23, 59),
    "28/02 23:59 Paris (année bissextile)": _p(2028, 2, 28, 23, 59),
    "29/02 00:01 Paris": _p(2028, 2, 29, 0, 1),
    "29/02 23:59 Paris": _p(2028, 2, 29, 23, 59),
    "01/03 00:01 Paris": _p(2028, 3, 1, 0, 1),
}

# Consecutive instants across a midnight: the second run adds only what the new day (or week) brings.
PASSAGES = [
    ("dimanche 23:59 Paris", "lundi 00:01 Paris"),
    ("samedi 23:59 Paris, veille du passage à l'heure d'été", "dimanche 01:59 Paris, heure d'été"),
    ("samedi 23:59 Paris, veille du retour à l'heure d'hiver", "dimanche 02:30 Paris, première fois"),
    ("dimanche 02:30 Paris, première fois", "dimanche 02:30 Paris, seconde fois"),
    ("31/12 23:59 Paris", "01/01 00:01 Paris"),
    ("28/02 23:59 Paris (année bissextile)", "29/02 00:01 Paris"),
    ("29/02 23:59 Paris", "01/03 00:01 Paris"),
]


def _midi(instant: datetime.datetime) -> datetime.datetime:
    return datetime.datetime.combine(instant.astimezone(PARIS).date(), datetime.time(12), PARIS)


class Scenario:
    """One lycée whose parcours trip every check of the sweep, built relative to the Paris date of the clock."""

    def __init__(self):
        self.ly = ly = Lycee()
        aujourdhui = timezone.localdate()
        self.aujourdhui = aujourdhui
        self.noms = {}
        self.noms[ly.parcours(fin_dans=0).uuid] = "limite"
        self.noms[ly.parcours(fin_dans=15).uuid] = "J15"
        absences = ly.parcours(fin_dans=60)
        self.noms[absences.uuid] = "absences"
        lundi_prec = aujourdhui - datetime.timedelta(days=aujourdhui.weekday() + 7)
        for k in range(ly.campagne.seuil_absences_semaine + 1):
            Presence.objects.create(
                inscription=absences,
                date=lundi_prec + datetime.timedelta(days=k // 2),
                periode=["matin", "apres_midi"][k % 2],
                statut="absent_non_justifie",
            )
        pfmp = ly.parcours(fin_dans=60, duree=90)
        self.noms[pfmp.uuid] = "pfmp"
        PFMP.objects.create(
            inscription=pfmp,
            entreprise="Garage",
            date_debut=pfmp.date_entree,
            date_fin=pfmp.date_entree + datetime.timedelta(days=75),
        )
        ReperageFactory(
            jeune__etablissement=ly.lycee,
            campagne=ly.campagne,
            importe_le=timezone.now() - datetime.timedelta(days=60),
        )
        self.roles = {ly.chef.pk: "chef", ly.referent.pk: "référent", ly.conseiller.pk: "conseiller"}

    def cles(self) -> Counter:
        """(recipient, key) of every notification, uuids replaced by the parcours' names, dates kept."""
        resultat = Counter()
        for destinataire, cle in Notification.objects.values_list("destinataire_id", "cle"):
            for uuid, nom in self.noms.items():
                cle = cle.replace(str(uuid), nom)
            cle = re.sub(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "lycée", cle)
            cle = re.sub(r"^verifier-regles:\d+:", "verifier-regles:lycée:", cle)
            resultat[(self.roles.get(destinataire, "?"), cle)] += 1
        return resultat


def _balayage_a(instant):
    """The notifications of two sweeps run at `instant` on a scenario built at that instant (rolled back)."""
    with time_machine.travel(instant, tick=False), transaction.atomic():
        s = Scenario()
        premier = balayer(rappels=False)
        second = balayer(rappels=False)
        cles = s.cles()
        transaction.set_rollback(True)
    assert second.get("notifications", 0) + second.get("resumes_hebdo", 0) == 0, f"second balayage : {second}"
    assert premier["notifications"] + premier["resumes_hebdo"] == sum(cles.values())
    return cles


@pytest.mark.parametrize("nom", list(INSTANTS))
def test_le_balayage_donne_a_l_instant_difficile_ce_qu_il_donne_a_midi(nom):
    instant = INSTANTS[nom]
    attendu = _balayage_a(_midi(instant))
    obtenu = _balayage_a(instant)
    assert max(obtenu.values()) == 1, "une notification en double"
    assert obtenu == attendu
    # The day and the week in the keys are those of Paris, not of UTC.
    jour = instant.astimezone(PARIS).date()
    annee, semaine, _ = jour.isocalendar()
    assert ("chef", f"parcours-a-cloturer:limite:{jour.isoformat()}") in obtenu
    assert ("chef", f"resume-hebdo:lycée:{annee}-S{semaine:02d}") in obtenu


@pytest.mark.parametrize(("avant", "apres"), PASSAGES)
def test_d_un_jour_a_l_autre_ni_doublon_ni_oubli(avant, apres):
    t1, t2 = INSTANTS[avant], INSTANTS[apres]
    with time_machine.travel(t1, tick=False):
        s = Scenario()
        balayer(rappels=False)
        premier = s.cles()
    with time_machine.travel(t2, tick=False):
        balayer(rappels=False)
        apres_cles = s.cles()
    assert max(apres_cles.values()) == 1, "une notification en double"
    nouvelles = set(apres_cles) - set(premier)
    j1, j2 = t1.astimezone(PARIS).date(), t2.astimezone(PARIS).date()
    attendues = set()
    if j2 != j1:
        attendues.add(("chef", f"parcours-a-cloturer:limite:{j2.isoformat()}"))  # every day until it is closed
        attendues.add(("chef", f"verifier-regles:lycée:{j2.isoformat()}"))  # the rules' audit, once a day
    s1, s2 = j1.isocalendar()[:2], j2.isocalendar()[:2]
    if s2 != s1:
        attendues.add(("chef", f"resume-hebdo:lycée:{s2[0]}-S{s2[1]:02d}"))
        attendues.add(("chef", f"non-contactes:lycée:{s.ly.campagne.session}:{s2[0]}-S{s2[1]:02d}"))
    assert nouvelles == attendues


def test_rappel_de_reunion_une_seule_fois_de_part_et_d_autre_du_changement_d_heure(taches_apres_commit):
    """A meeting on the Monday after the autumn change: the reminder goes 48 real hours before, once, whatever the
    sweep's cadence across the night of 25 October (02:00–03:00 lived twice)."""
    from tests.entretiens.factories import InvitationFactory, ReunionFactory

    debut = _p(2026, 10, 26, 10, 0)
    with time_machine.travel(_p(2026, 10, 20, 9, 0), tick=False):
        reunion = ReunionFactory(debut=debut)
        InvitationFactory(reunion=reunion, jeune=JeuneFactory(etablissement=reunion.etablissement, email="j@test.fr"))
    from entretiens.services import envoyer_rappels_reunions

    envois = []
    instant = _u(2026, 10, 23, 22, 0)
    while instant < debut:
        # The reminder e-mail leaves after commit through the task queue (ADR 0020): run it here as a worker would.
        with time_machine.travel(instant, tick=False), taches_apres_commit():
            if envoyer_rappels_reunions():
                envois.append(instant)
        instant += datetime.timedelta(minutes=30)
    assert len(envois) == 1
    reel = debut.astimezone(UTC)  # 48 real hours, not 48 hours of wall clock
    assert reel - datetime.timedelta(hours=48) <= envois[0] < reel - datetime.timedelta(hours=47, minutes=30)
    assert len([m for m in mail.outbox if "j@test.fr" in m.to]) == 1


@pytest.mark.parametrize(
    ("entree", "limite"),
    [
        (datetime.date(2026, 9, 1), datetime.date(2026, 12, 31)),
        (datetime.date(2026, 10, 31), datetime.date(2027, 2, 28)),  # the convention of parcours.regles
        (datetime.date(2026, 11, 1), datetime.date(2027, 2, 28)),
        (datetime.date(2027, 10, 30), datetime.date(2028, 2, 29)),
        (datetime.date(2027, 11, 1), datetime.date(2028, 2, 29)),
        (datetime.date(2027, 11, 2), datetime.date(2028, 3, 1)),
        (datetime.date(2026, 10, 25), datetime.date(2027, 2, 24)),
    ],
)
def test_limite_des_quatre_mois_la_meme_a_toute_heure(entree, limite):
    campagne = CampagneFactory.build()
    for instant in INSTANTS.values():
        with time_machine.travel(instant, tick=False):
            assert regles.date_limite(campagne, entree) == limite


def test_plafond_pfmp_le_meme_a_toute_heure():
    ly = Lycee()
    i = ly.parcours(fin_dans=60, duree=120)
    PFMP.objects.create(
        inscription=i,
        entreprise="Garage",
        date_debut=i.date_entree,
        date_fin=i.date_entree + datetime.timedelta(days=40),
    )
    i.refresh_from_db()
    a_midi = (regles.jours_pfmp(i, jusqu_au=i.date_fin_prevue), regles.plafond_pfmp(i, fin=i.date_fin_prevue))
    for instant in INSTANTS.values():
        with time_machine.travel(instant, tick=False):
            assert (
                regles.jours_pfmp(i, jusqu_au=i.date_fin_prevue),
                regles.plafond_pfmp(i, fin=i.date_fin_prevue),
            ) == a_midi


def test_dates_des_exports_en_heure_de_paris():
    from avenirpro.exports import REGISTRE

    export = next(iter(REGISTRE.values()))
    with time_machine.travel(_u(2026, 11, 29, 23, 30), tick=False):  # 00:30 on Monday in Paris
        assert export.nom_pour("csv").endswith("-2026-11-30.csv")
    assert neutraliser(_u(2026, 11, 29, 23, 30)) == "30/11/2026 00:30"
    assert neutraliser(_u(2026, 10, 25, 0, 30)) == neutraliser(_u(2026, 10, 25, 1, 30)) == "25/10/2026 02:30"
    assert neutraliser(_u(2027, 3, 28, 1, 30)) == "28/03/2027 03:30"


@pytest.mark.parametrize(
    ("connexion", "requete", "connecte"),
    [
        # 01:50 → 02:10 on the autumn night is 80 real minutes: idle for more than 30 minutes.
        (_u(2026, 10, 24, 23, 50), _u(2026, 10, 25, 1, 10), False),
        # 01:50 → 03:10 on the spring night is 20 real minutes: still connected.
        (_u(2027, 3, 28, 0, 50), _u(2027, 3, 28, 1, 10), True),
        # Across midnight and the new year, 20 minutes.
        (_p(2026, 12, 31, 23, 50), _p(2027, 1, 1, 0, 10), True),
    ],
)
def test_expiration_de_session_en_temps_reel(client, cast, connexion, requete, connecte):
    with time_machine.travel(connexion, tick=False):
        client.force_login(cast.chef_a)
        assert client.get("/tableaux/chef/").status_code == 200
    with time_machine.travel(requete, tick=False):
        r = client.get("/tableaux/chef/")
    assert (r.status_code == 200) is connecte, r.status_code


@pytest.mark.parametrize(
    "jour",
    [
        datetime.date(2026, 10, 25),  # 25 hours
        datetime.date(2027, 3, 28),  # 23 hours
        datetime.date(2026, 11, 30),
        datetime.date(2027, 1, 1),
        datetime.date(2028, 2, 29),
    ],
)
def test_calendrier_de_beat_chaque_tache_quotidienne_une_fois_par_jour(jour, settings):
    """The beat schedule (Europe/Paris) walked minute by minute over three days around the night."""
    from avenirpro.celery import app

    debut = datetime.datetime.combine(jour - datetime.timedelta(days=1), datetime.time(0), PARIS).astimezone(UTC)
    fin = datetime.datetime.combine(jour + datetime.timedelta(days=2), datetime.time(0), PARIS).astimezone(UTC)
    for nom, entree in settings.CELERY_BEAT_SCHEDULE.items():
        planning = entree["schedule"]
        if not hasattr(planning, "remaining_estimate") or isinstance(planning, int | float):
            continue
        courant = [debut]
        planning = copy.copy(planning)
        planning.nowfun = lambda courant=courant: courant[0].astimezone(app.timezone)
        planning.app = app
        derniere = debut
        executions = []
        while courant[0] < fin:
            du, _ = planning.is_due(derniere.astimezone(app.timezone))
            if du:
                executions.append(courant[0].astimezone(PARIS))
                derniere = courant[0]
            courant[0] += datetime.timedelta(minutes=1)
        par_jour = Counter(e.date() for e in executions)
        if str(planning._orig_hour) != "*":  # daily jobs: once a day, at the wall time asked
            assert set(par_jour.values()) == {1}, (nom, sorted(executions))
            assert len(par_jour) == 3, (nom, sorted(executions))
            assert {(e.hour, e.minute) for e in executions} == {(int(planning._orig_hour), int(planning._orig_minute))}
        else:  # hourly jobs: every hour of the wall clock, never twice within the same real hour
            assert {e.hour for e in executions if e.date() == jour} == set(range(24)) - (
                {2} if jour == datetime.date(2027, 3, 28) else set()
            ), (nom, sorted(executions))
            reels = [e.astimezone(UTC) for e in executions]  # real durations, not wall-clock ones
            ecarts = [(b - a) for a, b in zip(reels, reels[1:], strict=False)]
            assert min(ecarts) >= datetime.timedelta(minutes=59), (nom, sorted(executions))
            # On the autumn night 02:20 comes twice and the job runs once: a gap of two real hours at most.
            assert max(ecarts) <= datetime.timedelta(hours=2), (nom, sorted(executions))

"""The tests' clock: every test runs at one known instant, never at the wall clock's.

A run that crosses midnight in Paris (23:00 UTC in winter), a Sunday→Monday week boundary or a daylight-saving
night must give the same results as a run at noon. So `tests/conftest.py` sets the clock of every test to
`INSTANT_NORMAL` — a normal weekday (no public holiday, no school holidays) at 10:00 in Paris — and lets it tick
from there. A test that needs another day travels itself (`time_machine.travel(...)`, nested travel is fine).
Values computed at import time must come from here, never from `timezone.localdate()`.

The Celery worker subprocesses of the job tests start on the same clock: `HORLOGE_TESTS` in their environment,
read by `tests/taches/reglages_worker.py`. `tests/test_horloge_tests.py` checks that no test module reads the
clock at import time and that every test runs on this clock.
"""

import datetime
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")

# Tuesday 24 November 2026, 10:00 in Paris: inside the 2026 campaign of the factories (entries from 14/09/2026,
# limits in January 2027), outside every school holiday zone and public holiday.
INSTANT_NORMAL = datetime.datetime(2026, 11, 24, 10, 0, tzinfo=PARIS)
AUJOURDHUI = INSTANT_NORMAL.date()
VARIABLE = "HORLOGE_TESTS"  # the instant given to a worker subprocess (ISO 8601)


def paris(annee, mois, jour, heure=10, minute=0, seconde=0) -> datetime.datetime:
    return datetime.datetime(annee, mois, jour, heure, minute, seconde, tzinfo=PARIS)

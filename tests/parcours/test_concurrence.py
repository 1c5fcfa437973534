"""R4 under concurrency: two simultaneous adds that each fit but together breach never both pass (PostgreSQL
row lock on the parcours). Real threads, each with its own database connection."""

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from parcours import services
from parcours.models import PFMP, Inscription
from tests.eleves.factories import JeuneFactory, ReperageFactory

D = datetime.date


def _ajouter(inscription_pk, debut, fin, barriere, resultats):
    try:
        barriere.wait(timeout=10)
        inscription = Inscription.objects.get(pk=inscription_pk)
        services.enregistrer_pfmp(
            inscription=inscription, pfmp=PFMP(entreprise=f"E{debut:%d}", date_debut=debut, date_fin=fin)
        )
        resultats.append("ok")
    except ValidationError:
        resultats.append("refus")
    except Exception as e:  # pragma: no cover - reported by the assertion
        resultats.append(repr(e))
    finally:
        connection.close()


@pytest.mark.django_db(transaction=True)
def test_r4_deux_ajouts_simultanes_ne_depassent_jamais_le_plafond(cast):
    depassements = 0
    for n in range(20):
        jeune = JeuneFactory(etablissement=cast.lycee_a)
        ReperageFactory(jeune=jeune, campagne=cast.campagne)
        inscription = services.inscrire(jeune=jeune, campagne=cast.campagne, date_entree=D(2026, 9, 14))
        # cap 56 working days; each period alone (about 35 days) fits, both together do not
        barriere, resultats = threading.Barrier(2), []
        fils = [
            threading.Thread(
                target=_ajouter, args=(inscription.pk, D(2026, 9, 14), D(2026, 10, 30), barriere, resultats)
            ),
            threading.Thread(
                target=_ajouter, args=(inscription.pk, D(2026, 11, 2), D(2026, 12, 18), barriere, resultats)
            ),
        ]
        for f in fils:
            f.start()
        for f in fils:
            f.join(30)
        assert sorted(resultats) == ["ok", "refus"], f"essai {n} : {resultats}"
        from parcours import regles

        inscription.refresh_from_db()
        if regles.jours_pfmp(inscription) > regles.plafond_pfmp(inscription):
            depassements += 1
    from tests.fiabilite.scorecard import consigner

    consigner("concurrence_pfmp", {"executions_paralleles": 20, "depassements_du_plafond": depassements})
    assert depassements == 0

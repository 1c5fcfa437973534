"""Time to produce the PDF bilan of a parcours in a warm process (target ≤ 500 ms).

`mesurer()` returns [(label, value)]; run standalone with `python bench/bench_pdf.py`. The data it needs is created
inside a transaction that is rolled back: the database is left as it was."""

import datetime
import os
import statistics
import sys
import time
from pathlib import Path

RACINE = Path(__file__).resolve().parent.parent
if str(RACINE) not in sys.path:
    sys.path.insert(0, str(RACINE))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "avenirpro.settings")
os.environ.setdefault("DEBUG", "true")  # standalone run on the development settings, like `make run`

ESSAIS = 10


class _Annuler(Exception):
    pass


def _donnees():
    from avenirpro.models import Campagne, Etablissement, Role
    from avenirpro.validators import lettre_cle_uai
    from eleves.models import Jeune, Reperage
    from parcours import services
    from parcours.models import PFMP, Action, Bilan

    campagne = Campagne.objects.filter(session=2026).first() or Campagne.objects.create(
        nom="Bench 2026",
        session=2026,
        date_rentree=datetime.date(2026, 9, 1),
        date_entree_min=datetime.date(2026, 9, 1),
    )
    chiffres = "0699990"
    lycee, _ = Etablissement.objects.get_or_create(
        uai=chiffres + lettre_cle_uai(chiffres),
        defaults={"nom": "Lycée du banc d'essai", "departement": "69", "academie": "Lyon", "zone_vacances": "A"},
    )
    jeune = Jeune.objects.create(
        ine="99999BENCH9",
        nom="ESSAI",
        prenoms="Camille",
        date_naissance=datetime.date(2007, 3, 3),
        etablissement=lycee,
    )
    Reperage.objects.create(jeune=jeune, campagne=campagne, diplome="bac_pro", resultat="admis")
    inscription = services.inscrire(jeune=jeune, campagne=campagne, date_entree=datetime.date(2026, 9, 14))
    for n in range(6):
        Action.objects.create(
            inscription=inscription,
            type="tre",
            intitule=f"Atelier n°{n + 1}",
            date_debut=datetime.date(2026, 9, 14) + datetime.timedelta(days=7 * n),
            date_fin=datetime.date(2026, 10, 30) + datetime.timedelta(days=7 * n),
            heures_hebdo=4,
        )
    pfmp = PFMP.objects.create(
        inscription=inscription,
        entreprise="Entreprise d'essai",
        date_debut=datetime.date(2026, 11, 2),
        date_fin=datetime.date(2026, 11, 13),
    )
    jours = [datetime.date(2026, 11, 2) + datetime.timedelta(days=i) for i in range(12)]
    lignes = [
        {"date": j, "periode": p, "statut": "present", "motif": ""}
        for j in jours
        if j.weekday() < 5
        for p in ("matin", "apres_midi")
    ]
    services.enregistrer_presences(inscription=inscription, lignes=lignes, user=None)
    Bilan.objects.create(inscription=inscription, observations="Parcours d'essai. " * 40)
    assert pfmp.pk and Role
    return inscription


def mesurer() -> list[tuple[str, str]]:
    import django

    django.setup()
    from django.db import transaction

    from avenirpro.pdf import rendre_pdf
    from parcours.models import Inscription
    from parcours.views import contexte_bilan

    resultats = []
    try:
        with transaction.atomic():
            inscription = _donnees()

            def une_fois():
                i = Inscription.objects.select_related(
                    "jeune", "campagne", "etablissement", "referent", "conseiller"
                ).get(pk=inscription.pk)
                return rendre_pdf("parcours/pdf/bilan.html", contexte_bilan(i))

            debut = time.perf_counter()
            taille = len(une_fois())
            froid = (time.perf_counter() - debut) * 1000
            durees = []
            for _ in range(ESSAIS):
                debut = time.perf_counter()
                une_fois()
                durees.append((time.perf_counter() - debut) * 1000)
            resultats = [
                ("PDF bilan – premier rendu (import WeasyPrint compris)", f"{froid:.0f} ms"),
                (f"PDF bilan – processus chaud, médiane de {ESSAIS}", f"{statistics.median(durees):.0f} ms"),
                (f"PDF bilan – processus chaud, pire de {ESSAIS}", f"{max(durees):.0f} ms"),
                ("PDF bilan – taille", f"{taille / 1024:.0f} Kio"),
            ]
            raise _Annuler
    except _Annuler:
        pass
    return resultats


if __name__ == "__main__":
    for libelle, valeur in mesurer():
        print(f"{libelle:<60} {valeur}")

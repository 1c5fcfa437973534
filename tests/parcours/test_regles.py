"""R2, R3, R4 (counting), R8: the pure rules."""

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest

from parcours import regles

D = datetime.date


def campagne(**kw):
    base = {
        "mode_duree": "entree",
        "duree_mois": 4,
        "date_rentree": D(2026, 9, 1),
        "unite_pfmp": "jours_ouvres",
        "taux_gratification_niveau3": Decimal("15"),
        "taux_gratification_niveau4": Decimal("20"),
    }
    return SimpleNamespace(**{**base, **kw})


@pytest.mark.parametrize(
    ("diplome", "mef"),
    [("cap", "apro_plus_3"), ("bac_pro", "apro_plus_4"), ("bma", "apro_plus_4"), ("dtms", "apro_plus_4")],
)
def test_r2_mef_suit_le_diplome(diplome, mef):
    assert regles.mef_pour_diplome(diplome) == mef


def test_r2_diplome_inconnu_refuse():
    with pytest.raises(ValueError):
        regles.mef_pour_diplome("bts")


@pytest.mark.parametrize(
    ("entree", "limite"),
    [
        (D(2026, 9, 1), D(2026, 12, 31)),
        (D(2026, 9, 14), D(2027, 1, 13)),
        # month ends: 31/10 + 4 months does not exist → the period runs to the end of February
        (D(2026, 10, 31), D(2027, 2, 28)),
        (D(2026, 10, 30), D(2027, 2, 28)),
        (D(2026, 10, 28), D(2027, 2, 27)),
        # leap years
        (D(2027, 10, 31), D(2028, 2, 29)),
        (D(2027, 10, 29), D(2028, 2, 28)),
        (D(2027, 10, 30), D(2028, 2, 29)),
        (D(2027, 11, 30), D(2028, 3, 29)),
        # year change
        (D(2026, 12, 15), D(2027, 4, 14)),
    ],
)
def test_r3_a_compter_de_la_date_d_entree(entree, limite):
    assert regles.date_limite(campagne(), entree) == limite


def test_r3_a_compter_de_la_rentree_ne_depend_pas_de_l_entree():
    c = campagne(mode_duree="rentree")
    assert regles.date_limite(c, D(2026, 9, 1)) == D(2026, 12, 31)
    assert regles.date_limite(c, D(2026, 10, 31)) == D(2026, 12, 31)
    c = campagne(mode_duree="rentree", date_rentree=D(2027, 10, 31))
    assert regles.date_limite(c, D(2027, 11, 2)) == D(2028, 2, 29)


def test_r3_duree_lue_dans_la_campagne():
    assert regles.date_limite(campagne(duree_mois=3), D(2026, 9, 1)) == D(2026, 11, 30)


def test_r4_jours_ouvres_hors_feries_et_chevauchements_une_fois():
    # 2–13/11/2026: ten weekdays, minus Armistice (11/11)
    assert regles.compter_jours([(D(2026, 11, 2), D(2026, 11, 13))], "jours_ouvres") == 9
    # overlapping periods are counted once: 2–20/11 = 15 weekdays − 11/11
    periodes = [(D(2026, 11, 2), D(2026, 11, 13)), (D(2026, 11, 9), D(2026, 11, 20))]
    assert regles.compter_jours(periodes, "jours_ouvres") == 14
    assert regles.compter_jours(periodes, "jours_calendaires") == 19
    # a public holiday on a weekday (25/12/2026 is a Friday) and a weekend
    assert regles.compter_jours([(D(2026, 12, 21), D(2026, 12, 27))], "jours_ouvres") == 4
    assert regles.compter_jours(periodes, "jours_ouvres", jusqu_au=D(2026, 11, 6)) == 5


def test_r4_plafond_deux_tiers_dans_l_unite_de_la_campagne():
    i = SimpleNamespace(campagne=campagne(), date_entree=D(2026, 9, 14), date_fin_prevue=D(2027, 1, 13))
    assert regles.plafond_pfmp(i) == 85 * 2 // 3 == 56
    i.campagne = campagne(unite_pfmp="jours_calendaires")
    assert regles.plafond_pfmp(i) == 122 * 2 // 3
    # after an early exit, against the real end
    i.campagne = campagne()
    assert regles.plafond_pfmp(i, fin=D(2026, 10, 9)) == 20 * 2 // 3


def test_r4_libelle_de_la_jauge():
    assert regles.libelle_jauge(41, 58) == "PFMP : 41 j / 58 j autorisés"


def test_r7_feries_et_vacances_de_la_zone():
    assert regles.jour_ferie(D(2026, 11, 11)) == "Armistice"
    assert regles.vacances_scolaires(D(2026, 10, 26), "A") != ""
    assert regles.vacances_scolaires(D(2026, 10, 12), "A") == ""


def p(statut, pfmp=1):
    return SimpleNamespace(statut=statut, pfmp_id=pfmp)


def test_r8_gratification_par_jour_effectue_absences_non_payees():
    presences = [
        p("present"),
        p("present"),
        p("retard"),
        p("absent_justifie"),
        p("absent_non_justifie"),
        p("present", None),
    ]
    assert regles.jours_pfmp_effectues(presences) == Decimal("1.5")
    i3 = SimpleNamespace(campagne=campagne(), mef="apro_plus_3")
    i4 = SimpleNamespace(campagne=campagne(), mef="apro_plus_4")
    assert regles.gratification(i3, presences) == Decimal("22.50")
    assert regles.gratification(i4, presences) == Decimal("30.00")
    i4.campagne = campagne(taux_gratification_niveau4=Decimal("21.40"))
    assert regles.gratification(i4, presences) == Decimal("32.10")


def test_taux_d_assiduite():
    assert regles.taux_assiduite([]) is None
    assert regles.taux_assiduite([p("present"), p("retard"), p("absent_justifie"), p("absent_non_justifie")]) == 50

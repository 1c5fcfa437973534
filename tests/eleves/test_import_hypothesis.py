"""400 generated malformed files: each ends in a full import or no change at all, never half-written, never an
exception (docs/regles.md)."""

import hashlib

import pytest
from django.core.management import call_command
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from eleves.importation import ImportRefuse, analyser, appliquer
from eleves.models import Jeune, Reperage, UniteValidee
from tests.avenirpro.factories import CampagneFactory, EtablissementFactory
from tests.eleves.fichiers import ENTETES, csv_octets, ligne, xlsx_octets

pytestmark = pytest.mark.django_db

MAUVAIS_INE = ["", "abc", "12345678901", "1234567890A", "1234567890AB", "12345678 9A", "éééééééééé1"]
MAUVAISES_DATES = ["", "31/02/2007", "2007/03/14", "14-13-2007", "hier", "00/00/0000", "14/03/2099", "1/1/1"]
VALEURS_SALES = ["", "   ", "=1+1", "+33", "-", "@SUM(A1)", "x" * 5000, "a;b", 'un "guillemet"', "\x00", "ÿ€Œ"]


def _empreinte() -> str:
    """Everything the import can touch, as a digest."""
    donnees = repr(
        (
            list(Jeune.objects.order_by("ine").values_list("ine", "nom", "prenoms", "date_naissance", "telephone")),
            list(Reperage.objects.order_by("pk").values_list("jeune__ine", "campagne_id", "resultat", "typologie")),
            list(UniteValidee.objects.order_by("pk").values_list("jeune_id", "intitule")),
            Jeune.history.count(),
        )
    )
    return hashlib.sha256(donnees.encode()).hexdigest()


@st.composite
def lignes(draw):
    n = draw(st.integers(min_value=0, max_value=8))
    out = []
    for i in range(n):
        d = ligne(draw(st.integers(min_value=1, max_value=12)))
        mutation = draw(st.sampled_from(["aucune", "ine", "date", "sale", "diplome", "resultat", "vide", "doublon"]))
        if mutation == "ine":
            d["INE"] = draw(st.sampled_from(MAUVAIS_INE))
        elif mutation == "date":
            d["DATE NAISSANCE"] = draw(st.sampled_from(MAUVAISES_DATES))
        elif mutation == "sale":
            d[draw(st.sampled_from(ENTETES))] = draw(st.sampled_from(VALEURS_SALES) | st.text(max_size=30))
        elif mutation == "diplome":
            d["DIPLOME"] = draw(st.sampled_from(["BTS", "", "cap ", "Bac Pro", "dtms"]))
        elif mutation == "resultat":
            d["RESULTAT"] = draw(st.sampled_from(["admis", "AJOURNÉ", "ABSENTE", "reçu", ""]))
        elif mutation == "vide":
            d = {k: "" for k in d}
        elif mutation == "doublon" and out:
            d = dict(out[-1])
        out.append(d)
    return out


@st.composite
def fichiers(draw):
    genre = draw(st.sampled_from(["csv", "csv", "csv", "xlsx", "binaire", "vide", "utf16", "sans_entete", "coupe"]))
    if genre == "binaire":
        return draw(st.binary(max_size=300))
    if genre == "vide":
        return draw(st.sampled_from([b"", b"\r\n\r\n", b"   ", b"\xef\xbb\xbf"]))
    contenu = draw(lignes())
    if genre == "xlsx":
        return xlsx_octets(contenu) if contenu else xlsx_octets([{e: "" for e in ENTETES}])
    entetes = list(ENTETES)
    if draw(st.booleans()):
        entetes.remove(draw(st.sampled_from(entetes)))  # a missing column
    if draw(st.integers(0, 4)) == 0:
        entetes.append("COLONNE EN PLUS")
    sep = draw(st.sampled_from([";", ","]))
    encodage = draw(st.sampled_from(["utf-8", "cp1252", "iso8859_15", "utf-8-sig"]))
    texte = sep.join(entetes) + "\r\n"
    for d in contenu:
        texte += sep.join(str(d.get(e, "")) for e in entetes) + draw(st.sampled_from(["\r\n", "\n", "\r\n\r\n"]))
    octets = texte.encode(encodage, errors="replace")
    if genre == "utf16":
        octets = texte.encode("utf-16")
    elif genre == "sans_entete":
        octets = octets.split(b"\n", 1)[-1]
    elif genre == "coupe":
        octets = octets[: draw(st.integers(0, max(0, len(octets))))]
    return octets


@pytest.fixture
def contexte(db):
    lycee = EtablissementFactory()
    campagne = CampagneFactory()
    # A cohort already there: corrected files update it, bad files must leave it untouched.
    appliquer(csv_octets([ligne(i) for i in range(1, 7)]), etablissement=lycee, campagne=campagne)
    return lycee, campagne


BILAN_IMPORTS = {"fichiers_fuzzes": 0, "imports_complets": 0, "imports_refuses_sans_trace": 0}


@pytest.fixture(scope="module", autouse=True)
def _consigner_imports():
    yield
    if BILAN_IMPORTS["fichiers_fuzzes"]:
        from tests.fiabilite.scorecard import consigner

        # Every file ended in a complete import or no change at all: a half-written import fails the test instead.
        consigner("import_fuzz", {**BILAN_IMPORTS, "imports_partiels": 0})


@settings(
    max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(contenu=fichiers())
def test_import_complet_ou_rien(contexte, contenu):
    lycee, campagne = contexte
    with transaction.atomic():
        avant = _empreinte()
        apercu = analyser(contenu, etablissement=lycee, campagne=campagne)
        assert _empreinte() == avant, "l'aperçu n'écrit rien"
        try:
            a = appliquer(contenu, etablissement=lycee, campagne=campagne)
        except ImportRefuse as refus:
            assert refus.analyse.erreurs
            assert apercu.erreurs
            assert _empreinte() == avant, "un import refusé ne laisse aucune trace"
            BILAN_IMPORTS["imports_refuses_sans_trace"] += 1
        else:
            assert not a.erreurs and not apercu.erreurs
            # full import: every row of the file is in the database as the file says
            for ligne_ in a.lignes:
                j = Jeune.objects.get(ine=ligne_.ine)
                assert all(getattr(j, k) == v for k, v in ligne_.jeune.items())
                r = Reperage.objects.get(jeune=j, campagne=campagne)
                assert all(getattr(r, k) == v for k, v in ligne_.reperage.items())
            # and importing it again changes nothing
            apres = _empreinte()
            a2 = appliquer(contenu, etablissement=lycee, campagne=campagne)
            assert a2.nouveaux == a2.modifies == 0
            assert _empreinte() == apres
            BILAN_IMPORTS["imports_complets"] += 1
        BILAN_IMPORTS["fichiers_fuzzes"] += 1
        transaction.set_rollback(True)


def test_la_commande_sur_un_fichier_illisible_sort_en_1(contexte, tmp_path, capsys):
    lycee, _ = contexte
    f = tmp_path / "x.csv"
    f.write_bytes(b"\x00\x01\x02PK")
    with pytest.raises(SystemExit) as exc:
        call_command("import_eleves", str(f), "--uai", lycee.uai, "--commit")
    assert exc.value.code == 1
    assert "fichier" in capsys.readouterr().out

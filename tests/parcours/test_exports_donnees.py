"""Exports other systems read (ADR 0022), read back by the reader the other side uses: the csv module with `;` and
UTF-8 with BOM (as the exports state), openpyxl for the XLSX."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.urls import reverse

from avenirpro.models import JournalAcces
from parcours.models import Inscription, Presence
from tests.eleves.factories import JeuneFactory, ReperageFactory
from tests.parcours.factories import InscriptionFactory, PFMPFactory

pytestmark = pytest.mark.django_db
D = datetime.date


def lire_csv(reponse) -> list[dict]:
    contenu = b"".join(reponse.streaming_content) if reponse.streaming else reponse.content
    assert contenu.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM, as stated
    return list(csv.DictReader(io.StringIO(contenu.decode("utf-8-sig"), newline=""), delimiter=";"))


def _inscription(cast, nom, ine, diplome="cap", **kw):
    j = JeuneFactory(etablissement=cast.lycee_a, nom=nom, ine=ine)
    ReperageFactory(jeune=j, campagne=cast.campagne, diplome=diplome)
    return InscriptionFactory(jeune=j, campagne=cast.campagne, diplome=diplome, statut="en_cours", **kw)


def _sortir(i, motif="solution_avant_terme", situation="emploi", jour=D(2026, 11, 20)):
    Inscription.objects.filter(pk=i.pk).update(
        statut="sortie", date_sortie=jour, motif_sortie=motif, situation_sortie=situation
    )


@pytest.fixture
def deux(cast):
    en_cours = _inscription(cast, "ALPHA", "100000001AA")
    sorti = _inscription(cast, "BRAVO", "100000002BB", diplome="bac_pro")
    _sortir(sorti)
    return en_cours, sorti


def test_siecle_code_mef_de_la_campagne_dates_et_motif(cast, client_de, deux):
    c = client_de(cast.chef_a)
    lignes = lire_csv(c.get(reverse("parcours:export_siecle")))
    assert list(lignes[0]) == ["INE", "NOM", "PRENOMS", "CODE_MEF", "LIBELLE_MEF", "DATE_ENTREE", "DATE_SORTIE",
                               "MOTIF_SORTIE"]  # fmt: skip
    par_ine = {ligne["INE"]: ligne for ligne in lignes}
    # No code set for the campaign: the field stays empty, never an invented code.
    assert par_ine["100000001AA"]["CODE_MEF"] == "" and par_ine["100000002BB"]["CODE_MEF"] == ""
    assert par_ine["100000001AA"]["DATE_SORTIE"] == "" and par_ine["100000001AA"]["MOTIF_SORTIE"] == ""
    assert par_ine["100000002BB"]["DATE_ENTREE"] == "14/09/2026"
    assert par_ine["100000002BB"]["DATE_SORTIE"] == "20/11/2026"
    assert par_ine["100000002BB"]["MOTIF_SORTIE"] == "Solution trouvée avant terme"
    # The administrator sets the codes on the campaign: each MEF gets its own.
    cast.campagne.code_mef_niveau3 = "24723000001"
    cast.campagne.code_mef_niveau4 = "24724000001"
    cast.campagne.save()
    par_ine = {ligne["INE"]: ligne for ligne in lire_csv(c.get(reverse("parcours:export_siecle")))}
    assert par_ine["100000001AA"]["CODE_MEF"] == "24723000001"
    assert par_ine["100000002BB"]["CODE_MEF"] == "24724000001"
    assert par_ine["100000002BB"]["LIBELLE_MEF"] == cast.campagne.libelle_mef_niveau4


def test_code_mef_de_campagne_valide(cast):
    from django.core.exceptions import ValidationError

    cast.campagne.code_mef_niveau3 = "APRO-3"
    with pytest.raises(ValidationError) as exc:
        cast.campagne.full_clean()
    assert exc.value.message_dict["code_mef_niveau3"] == ["Code MEF : 11 caractères, chiffres et lettres majuscules."]


def test_export_parcours_motif_et_situation_csv_et_xlsx(cast, client_de, deux):
    c = client_de(cast.chef_a)
    lignes = {ligne["INE"]: ligne for ligne in lire_csv(c.get(reverse("parcours:export", args=["csv"])))}
    assert lignes["100000002BB"]["Motif de sortie"] == "Solution trouvée avant terme"
    assert lignes["100000002BB"]["Situation à la sortie"] == "Emploi (CDI, CDD, intérim, contrat aidé)"
    assert lignes["100000002BB"]["Date de sortie"] == "20/11/2026"
    assert lignes["100000001AA"]["Motif de sortie"] == "" and lignes["100000001AA"]["Situation à la sortie"] == ""
    rep = c.get(reverse("parcours:export", args=["xlsx"]))
    contenu = b"".join(rep.streaming_content) if rep.streaming else rep.content
    feuille = openpyxl.load_workbook(io.BytesIO(contenu), read_only=True).active
    rangs = [list(r) for r in feuille.iter_rows(values_only=True)]
    entetes = rangs[0]
    bravo = next(dict(zip(entetes, r, strict=False)) for r in rangs[1:] if r[0] == "100000002BB")
    assert bravo["Motif de sortie"] == "Solution trouvée avant terme"
    assert bravo["Situation à la sortie"] == "Emploi (CDI, CDD, intérim, contrat aidé)"
    assert bravo["Date de sortie"].date() == D(2026, 11, 20)


def _pfmp(i, jours):
    pf = PFMPFactory(inscription=i, date_debut=D(2026, 11, 2), date_fin=D(2026, 11, 27))
    for jour in jours:
        for periode in ("matin", "apres_midi"):
            Presence.objects.create(inscription=i, date=jour, periode=periode, statut="present", pfmp=pf)


def test_gratifications_par_periode_et_par_lycee(cast, client_de, deux):
    en_cours, sorti = deux
    _pfmp(en_cours, [D(2026, 11, 2), D(2026, 11, 3), D(2026, 11, 16)])  # CAP: 15 € a day
    _pfmp(sorti, [D(2026, 11, 17)])  # bac pro: 20 € a day
    c = client_de(cast.chef_a)
    url = reverse("parcours:export_gratifications")
    tout = {ligne["INE"]: ligne for ligne in lire_csv(c.get(url))}
    assert tout["100000001AA"]["JOURS_PFMP"] == "3" and tout["100000001AA"]["MONTANT"] == "45,00"
    assert tout["100000002BB"]["MONTANT"] == "20,00"
    assert tout["100000001AA"]["UAI"] == cast.lycee_a.uai
    # From–to, ISO (the date input) or jj/mm/aaaa: only the half-days of the period count.
    periode = {ligne["INE"]: ligne for ligne in lire_csv(c.get(url, {"du": "2026-11-01", "au": "08/11/2026"}))}
    assert list(periode) == ["100000001AA"]
    assert periode["100000001AA"]["JOURS_PFMP"] == "2" and periode["100000001AA"]["MONTANT"] == "30,00"
    assert periode["100000001AA"]["PERIODE_DU"] == "01/11/2026"
    assert periode["100000001AA"]["PERIODE_AU"] == "08/11/2026"
    rep = c.get(url, {"du": "2026-11-01", "au": "08/11/2026"})
    assert 'filename="gratifications-pfmp-du-20261101-au-20261108.csv"' in rep["Content-Disposition"]
    assert JournalAcces.objects.filter(action="export", objet__contains="du 01/11/2026 au 08/11/2026").exists()
    # Unparseable or out-of-bounds dates count as absent (never a 500).
    assert len(lire_csv(c.get(url, {"du": "9999-99-99", "au": "0001-01-01"}))) == 2
    # Per lycée: the chef's own lycée by UAI; another lycée's UAI is out of scope: 404.
    assert len(lire_csv(c.get(url, {"lycee": cast.lycee_a.uai.lower()}))) == 2
    assert c.get(url, {"lycee": cast.lycee_b.uai}).status_code == 404


def test_liste_filtree_par_motif_et_situation(cast, client_de, deux):
    c = client_de(cast.chef_a)
    page = c.get(reverse("parcours:liste"), {"motif_sortie": "solution_avant_terme"}).content.decode()
    assert "BRAVO" in page and "ALPHA" not in page
    page = c.get(reverse("parcours:liste"), {"situation_sortie": "formation"}).content.decode()
    assert "BRAVO" not in page

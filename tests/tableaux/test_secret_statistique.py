"""R12 — statistical secret against differencing (issue #13, F2; ADR 0010).

The attacker is a pilotage reader: they download everything they can (every grouping, as screen, CSV and XLSX),
know which lycée is in which bassin, département and académie (that is public), and try to recompute every masked
cell from totals, groupings and columns that add up (tests/tableaux/attaquant.py, by linear programming)."""

import csv
import datetime
import io
from html.parser import HTMLParser

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from playwright.sync_api import expect

from avenirpro.models import Etablissement
from avenirpro.secret_statistique import MASQUE, TableauProtege, cellules_determinees, proteger
from eleves.models import Reperage
from parcours.models import Inscription
from tests.avenirpro.factories import EtablissementFactory
from tests.eleves.factories import JeuneFactory, ReperageFactory
from tests.fiabilite.scorecard import consigner
from tests.tableaux.attaquant import cellules_recalculables
from tests.tableaux.donnees import peupler

pytestmark = pytest.mark.django_db

PAR = ["lycee", "bassin", "departement", "academie"]
DERIVEES = {"Durée moyenne (jours)", "Assiduité (%)"}
MASQUES = {MASQUE, "< 5"}  # "< 5": the label of the single threshold before ADR 0010


class _Tableau(HTMLParser):
    """The pilotage table of the screen: header, then {row label: [cell texts]}."""

    def __init__(self):
        super().__init__()
        self.entetes, self.lignes, self._ligne, self._texte, self._dans = [], [], None, "", None

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self._ligne = []
        elif tag in ("th", "td") and self._ligne is not None:
            self._dans, self._texte = tag, ""

    def handle_data(self, data):
        if self._dans:
            self._texte += data

    def handle_endtag(self, tag):
        if tag in ("th", "td") and self._dans:
            self._ligne.append(self._texte.strip())
            self._dans = None
        elif tag == "tr" and self._ligne is not None:
            if not self.entetes:
                self.entetes = self._ligne
            else:
                self.lignes.append(self._ligne)
            self._ligne = None


def _nombre(texte):
    if texte is None or texte in ("", "–"):
        return None
    if isinstance(texte, (int, float)):
        return texte
    texte = str(texte).replace("\u202f", "").replace("\xa0", "")
    return texte if texte in MASQUES else int(texte)


def telecharger_tout(client) -> list[tuple[str, str, list, list]]:
    """[(grouping, source, header, rows)] for every grouping as screen, CSV and XLSX."""
    url = reverse("tableaux:pilotage")
    tout = []
    for par in PAR:
        r = client.get(url, {"par": par, "format": "csv"})
        assert r.status_code == 200
        lignes = list(csv.reader(io.StringIO(b"".join(r.streaming_content).decode("utf-8-sig")), delimiter=";"))
        tout.append((par, "csv", lignes[0], lignes[1:]))
        r = client.get(url, {"par": par, "format": "xlsx"})
        feuille = load_workbook(io.BytesIO(b"".join(r.streaming_content))).active
        lignes = [list(ligne) for ligne in feuille.values]
        tout.append((par, "xlsx", lignes[0], lignes[1:]))
        page = _Tableau()
        html = client.get(url, {"par": par}).content.decode()
        debut = html.index("<caption>Chiffres par")
        page.feed(html[debut : html.index("</table>", debut)])
        tout.append((par, "écran", page.entetes, page.lignes))
    return tout


def attaquer(client, lycees) -> tuple[dict, dict]:
    """({masked cell: recomputed value}, {masked cell: None}) from everything the reader can download.
    A cell is (frozenset of lycée names, column); `lycees`: the public directory {name: Etablissement}."""
    tout = telecharger_tout(client)
    noms_listes = {ligne[0] for par, _, _, lignes in tout if par == "lycee" for ligne in lignes} - {"Total"}
    annuaire = {nom: e for nom, e in lycees.items() if nom in noms_listes}
    membres_par = {
        "lycee": lambda lib: {lib},
        "bassin": lambda lib: {n for n, e in annuaire.items() if (e.bassin or "Non renseigné") == lib},
        "departement": lambda lib: {n for n, e in annuaire.items() if e.departement == lib},
        "academie": lambda lib: {n for n, e in annuaire.items() if e.academie == lib},
    }
    connues, inconnues, colonnes, partitions = {}, {}, set(), []
    for par, _source, entetes, lignes in tout:
        ensembles = []
        for ligne in lignes:
            membres = frozenset(annuaire) if ligne[0] == "Total" else frozenset(membres_par[par](ligne[0]))
            assert membres, ligne[0]
            if ligne[0] != "Total":
                ensembles.append(membres)
            for col, texte in zip(entetes[1:], ligne[1:], strict=True):
                if col in DERIVEES:
                    continue
                colonnes.add(col)
                valeur = _nombre(texte)
                cellule = (membres, col)
                if valeur in MASQUES:
                    inconnues.setdefault(cellule, 4 if valeur == "< 5" else None)
                    if valeur == "< 5":
                        inconnues[cellule] = 4
                else:
                    assert connues.get(cellule, valeur) == valeur, f"deux valeurs pour {cellule}"
                    connues[cellule] = valeur
        partitions.append(ensembles)
    for cellule in connues:  # shown somewhere: known everywhere
        inconnues.pop(cellule, None)
    relations = []
    ensembles = {m for p in partitions for m in p} | {frozenset(annuaire)}
    for grand in ensembles:  # every published set is the sum of the finer published sets that partition it
        for partition in partitions:
            parties = [m for m in partition if m <= grand]
            if len(parties) > 1 and frozenset().union(*parties) == grand:
                for col in colonnes:
                    relations.append(((grand, col), [(m, col) for m in parties]))
    typologies = [f"{t.label}" for t in Reperage.Typologie if t != Reperage.Typologie.AVEC_SOLUTION]
    sorties = [f"Sortie : {s.label}" for s in Inscription.SituationSortie]
    motifs = [f"Motif de sortie : {m.label}" for m in Inscription.MotifSortie]
    for m in ensembles:
        relations.append(((m, "Identifiés"), [(m, c) for c in typologies]))
        relations.append(((m, "Sortis"), [(m, c) for c in sorties]))
        relations.append(((m, "Sortis"), [(m, c) for c in motifs]))  # ADR 0022: the second breakdown
    return cellules_recalculables(connues, inconnues, relations), inconnues


def _peupler_territoire(cast):
    """Small cells everywhere: a bassin of one lycée, a département of 9 = 8 + 1, zero cells, exits."""
    lyon_est_a, lyon_est_b = cast.lycee_a, cast.lycee_b  # Lyon Est, 69
    villefranche = EtablissementFactory(nom="Lycée de Villefranche", bassin="Villefranche", departement="69")
    bourg = EtablissementFactory(nom="Lycée de Bourg", bassin="Bourg", departement="01")
    oyonnax = EtablissementFactory(nom="Lycée d'Oyonnax", bassin="Bourg", departement="01")
    peupler(cast, 5, lycee=lyon_est_a)
    peupler(cast, 3, lycee=lyon_est_b, referent=None, conseiller=cast.conseiller_b)  # Lyon Est: 8
    peupler(cast, 1, lycee=villefranche, referent=None, conseiller=cast.conseiller_b)  # 69: 9 = 8 + 1
    for _ in range(6):  # identified, never invited: zero cells further on
        ReperageFactory(jeune=JeuneFactory(etablissement=bourg), campagne=cast.campagne, statut_contact="contacte")
    inscriptions = peupler(cast, 7, lycee=oyonnax, referent=None, conseiller=cast.conseiller_b)
    jour = timezone.localdate()
    for k, i in enumerate(inscriptions[:5]):
        Inscription.objects.filter(pk=i.pk).update(
            statut=Inscription.Statut.SORTIE,
            date_sortie=jour - datetime.timedelta(days=k),
            motif_sortie="solution_avant_terme" if k < 2 else "fin_parcours",
            situation_sortie="emploi" if k < 3 else "formation",
        )
    return {e.nom: e for e in Etablissement.objects.all()}


def test_aucune_case_masquee_du_pilotage_n_est_recalculable_par_differences(cast, client_de):
    annuaire = _peupler_territoire(cast)
    cache.clear()
    recalculees, masquees = attaquer(client_de(cast.pilotage), annuaire)
    consigner(
        "secret_differences",
        {
            "telechargements": len(PAR) * 3,
            "cases_masquees": len(masquees),
            "cases_recalculees": len(recalculees),
        },
    )
    assert len(masquees) > 20  # the data set does exercise the secret
    assert recalculees == {}, f"{len(recalculees)} cases recalculées, par ex. {sorted(recalculees.items())[:5]}"


def test_un_bassin_d_un_seul_lycee_et_son_departement_ne_trahissent_pas_le_lycee(cast, client_de):
    """The issue's case: 69 = 9, Lyon Est = 8 shown would give Villefranche (its only lycée) = 1."""
    _peupler_territoire(cast)
    cache.clear()
    tout = {(par, source): (e, lignes) for par, source, e, lignes in telecharger_tout(client_de(cast.pilotage))}
    entetes, lignes = tout[("bassin", "csv")]
    col = entetes.index("Identifiés")
    par_bassin = {ligne[0]: ligne[col] for ligne in lignes}
    assert par_bassin["Villefranche"] == MASQUE
    entetes, lignes = tout[("departement", "csv")]
    par_dep = {ligne[0]: ligne[col] for ligne in lignes}
    # If 69 is shown, Lyon Est cannot be (and the other way round).
    assert par_dep["69"] == MASQUE or par_bassin["Lyon Est"] == MASQUE
    entetes, lignes = tout[("lycee", "csv")]
    assert {ligne[0]: ligne[col] for ligne in lignes}["Lycée de Villefranche"] == MASQUE


# --- The suppression function on random tables (Hypothesis) ----------------------------------------------------

effectifs = st.sampled_from([0, 0, 1, 2, 3, 4, 5, 5, 6, 7, 9, 12, 30])


@st.composite
def territoires(draw):
    """Lycées in bassins in départements, three count columns of which the first is the sum of the two others."""
    lignes, infos, pk = {}, {}, 0
    for d in range(draw(st.integers(1, 2))):
        for b in range(draw(st.integers(1, 3))):
            for _ in range(draw(st.integers(1, 3))):
                pk += 1
                x, y = draw(effectifs), draw(effectifs)
                lignes[pk] = {"total": x + y, "x": x, "y": y, "z": draw(effectifs)}
                infos[pk] = {"pk": pk, "academie": "A", "departement": f"D{d}", "bassin": f"B{d}{b}"}
    return lignes, infos


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(territoires())
def test_propriete_aucune_case_masquee_recalculable_depuis_les_cases_et_les_marges(territoire):
    lignes, infos = territoire
    tableau = TableauProtege(lignes, infos, ["total", "x", "y", "z"], {"total": ["x", "y"]})
    # The attacker's own relations: every level is the sum of the level below, total = x + y in every row.
    noeuds = {("lycee", pk): [pk] for pk in lignes}  # built from the directory, not from the module's relations
    for niveau, cle in (("bassin", "bassin"), ("departement", "departement")):
        for pk, i in infos.items():
            noeuds.setdefault((niveau, i[cle]), []).append(pk)
    noeuds[("tout",)] = list(lignes)
    ensembles = {k: frozenset(v) for k, v in noeuds.items()}
    publiees = {}
    for k, m in ensembles.items():
        valeurs, masquees = tableau.cellules(m)
        for col, v in valeurs.items():
            assert v == sum(lignes[pk][col] for pk in m)
            publiees[(m, col)] = None if col in masquees else v
            if v < 5:
                assert col in masquees, "primary suppression"
    relations = []
    for fin, grand in (("lycee", "bassin"), ("bassin", "departement"), ("departement", "tout")):
        for kg, mg in ensembles.items():
            if kg[0] == grand:
                parties = [m for kf, m in ensembles.items() if kf[0] == fin and m <= mg]
                for col in ("total", "x", "y", "z"):
                    relations.append(((mg, col), [(m, col) for m in parties]))
    for m in ensembles.values():
        relations.append(((m, "total"), [(m, "x"), (m, "y")]))
    connues = {c: v for c, v in publiees.items() if v is not None}
    inconnues = {c: None for c, v in publiees.items() if v is None}
    assert cellules_recalculables(connues, inconnues, relations) == {}


def test_le_simple_seuil_se_recalcule_par_difference_et_le_complement_l_empeche():
    """9 = 8 + 1: with only the primary mask, the 1 is recomputed; proteger() masks a complement."""
    valeurs = {"total": 9, "a": 8, "b": 1}
    relations = [("total", ["a", "b"])]
    assert cellules_determinees(valeurs, relations, {"b"}) == {"b": 1}
    masques = proteger(valeurs, relations)
    assert masques == {"a", "b"}
    assert cellules_determinees(valeurs, relations, masques) == {}


def test_une_case_nulle_ne_se_deduit_pas_de_la_positivite():
    """0 + 0 = 0 in a row whose total is masked but recomputed from the column: the zeros are fixed by
    positivity unless a non-zero cell joins them."""
    valeurs = {"T": 12, "L1": 0, "L2": 0, "L": 0, "M": 12}
    relations = [("T", ["L", "M"]), ("L", ["L1", "L2"])]
    assert cellules_determinees(valeurs, relations, {"L", "L1", "L2"}) == {"L": 0, "L1": 0, "L2": 0}
    masques = proteger(valeurs, relations)
    assert "M" in masques and cellules_determinees(valeurs, relations, masques) == {}


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_ecran_de_pilotage_montre_les_cases_secretes_et_leur_legende(page, live_server, connexion, cast):
    peupler(cast, 6)  # lycée A: 6 young people, and zero in several columns
    connexion(page, cast.chef_a)
    page.goto(f"{live_server.url}{reverse('tableaux:pilotage')}?par=lycee")
    expect(page.get_by_role("heading", name="Pilotage", level=1)).to_be_visible()
    expect(page.get_by_text("Secret statistique : un effectif inférieur à 5 est masqué")).to_be_visible()
    ligne = page.get_by_role("row", name="Lycée A")
    expect(ligne.get_by_role("cell", name=MASQUE).first).to_be_visible()
    expect(ligne.get_by_role("cell", name="6").first).to_be_visible()
    page.set_viewport_size({"width": 1280, "height": 900})
    page.screenshot(path="test-results/tableaux-pilotage-secret.png", full_page=True)

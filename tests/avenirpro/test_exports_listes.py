"""Every list page has its CSV and XLSX export: its buttons, the list's own rows and filters, journaled.

Access (who may export what, 404 for a record out of scope) is in the access matrix (tests/<app>/matrice.py).
"""

import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from avenirpro.exports import REGISTRE
from avenirpro.models import JournalAcces
from parcours.models import OffreAction
from tests.avenirpro.matrice import _invitation_a, _structure
from tests.entretiens.factories import InvitationFactory, ReunionFactory
from tests.matrice import construire_scenario
from tests.parcours.factories import InscriptionFactory

pytestmark = pytest.mark.django_db

# (export key, list page, export URL, URL kwargs of both, member who sees the list)
LISTES = [
    ("jeunes-sans-solution", "eleves:liste", "eleves:export", {}, "chef_a"),
    ("mes-jeunes", "tableaux:referent", "tableaux:mes_jeunes_export", "referent", "referent_a"),
    ("parcours", "parcours:liste", "parcours:export", {}, "chef_a"),
    ("offre-locale", "parcours:offre", "parcours:offre_export", {}, "referent_a"),
    ("reunions", "entretiens:reunions", "entretiens:reunions_export", {}, "conseiller_a"),
    ("reunion-invitations", "entretiens:reunion_detail", "entretiens:reunion_invitations_export", "reunion", "chef_a"),
    ("admin-lycees", "administration:etablissements", "administration:etablissements_export", {}, "admin"),
    ("admin-missions-locales", "administration:missions_locales", "administration:missions_locales_export", {},
     "admin"),
    ("admin-structures", "administration:structures", "administration:structures_export", {}, "admin"),
    ("admin-comptes", "administration:comptes", "administration:comptes_export", {}, "admin"),
    ("admin-equipe", "administration:equipe", "administration:equipe_export", {}, "chef_a"),
    ("admin-invitations", "administration:invitations", "administration:invitations_export", {}, "chef_a"),
    ("admin-journal", "administration:journal", "administration:journal_export", {}, "admin"),
]  # fmt: skip


def _lignes_csv(reponse) -> list[list[str]]:
    return list(csv.reader(io.StringIO(reponse.getvalue().decode("utf-8-sig")), delimiter=";"))


def _lignes_xlsx(reponse) -> list[list]:
    feuille = openpyxl.load_workbook(io.BytesIO(reponse.getvalue())).active
    return [[c.value for c in ligne] for ligne in feuille.iter_rows()]


def test_chaque_export_declare_est_teste_ici():
    assert sorted(REGISTRE) == sorted(cle for cle, *_ in LISTES)


@pytest.mark.parametrize(("cle", "page", "export", "kwargs", "membre"), LISTES, ids=[c for c, *_ in LISTES])
def test_la_liste_propose_csv_et_xlsx_de_ses_lignes_journalises(cast, client_de, cle, page, export, kwargs, membre):
    s = construire_scenario(cast)
    OffreAction.objects.create(type="tre", intitule="Atelier CV", etablissement=s.lycee_a)
    _structure(s), _invitation_a(s)
    kwargs_page = {"uuid": s.reunion_a.uuid} if kwargs == "reunion" else {}
    kwargs = {"role": "referent"} if kwargs == "referent" else kwargs_page
    c = client_de(getattr(s, membre))
    html = c.get(reverse(page, kwargs=kwargs_page)).content.decode()
    url_csv = reverse(export, kwargs={**kwargs, "format": "csv"})
    url_xlsx = reverse(export, kwargs={**kwargs, "format": "xlsx"})
    assert f'href="{url_csv}"' in html and f'href="{url_xlsx}"' in html
    assert "fr-btn--secondary fr-icon-download-line" in html

    entetes = list(REGISTRE[cle].entetes)
    rep = c.get(url_csv)
    assert rep.status_code == 200 and rep["Content-Type"] == "text/csv; charset=utf-8"
    lignes = _lignes_csv(rep)
    assert lignes[0] == entetes and len(lignes) >= 2 and all(len(ligne) == len(entetes) for ligne in lignes)
    rep = c.get(url_xlsx)
    assert rep.status_code == 200 and rep["Content-Type"].startswith("application/vnd.openxmlformats")
    classeur = _lignes_xlsx(rep)
    # The access log's own export is journaled before it is read: the XLSX shows the CSV export's entry.
    assert classeur[0] == entetes and len(classeur) == len(lignes) + (cle == "admin-journal")
    journal = JournalAcces.objects.filter(utilisateur=getattr(s, membre), action="export").order_by("date")
    assert [j.objet for j in journal] == [f"{REGISTRE[cle].libelle_pour(kwargs)} ({f})" for f in ("CSV", "XLSX")]
    if cle != "admin-journal":
        assert [j.nombre for j in journal] == [len(lignes) - 1] * 2
    assert c.get(url_csv.replace(".csv", ".pdf")).status_code == 404


def test_parcours_filtres_de_la_liste_et_lycee_du_chef_seulement(cast, client_de):
    InscriptionFactory(jeune__etablissement=cast.lycee_a, jeune__nom="ENCOURS", campagne=cast.campagne,
                       statut="en_cours")  # fmt: skip
    InscriptionFactory(jeune__etablissement=cast.lycee_a, jeune__nom="PREPARATION", campagne=cast.campagne)
    InscriptionFactory(jeune__etablissement=cast.lycee_b, jeune__nom="AILLEURS", campagne=cast.campagne,
                       statut="en_cours")  # fmt: skip
    c = client_de(cast.chef_a)

    def noms(params):
        return [ligne[1] for ligne in _lignes_csv(c.get(reverse("parcours:export", args=["csv"]), params))[1:]]

    assert noms({}) == ["ENCOURS", "PREPARATION"]
    assert noms({"statut": "en_cours"}) == ["ENCOURS"]
    assert noms({"q": "prepa"}) == ["PREPARATION"]
    assert noms({"mef": "apro_plus_4"}) == []
    page = c.get(reverse("parcours:liste"), {"statut": "en_cours", "page": "1"}).content.decode()
    assert f'href="{reverse("parcours:export", args=["csv"])}?statut=en_cours"' in page


def test_offre_filtree_par_type(cast, client_de):
    OffreAction.objects.create(type="tre", intitule="Atelier CV", etablissement=cast.lycee_a)
    OffreAction.objects.create(type="mobilisation", intitule="Bilan", etablissement=cast.lycee_a)
    OffreAction.objects.create(type="tre", intitule="Atelier entretien d'embauche", etablissement=cast.lycee_b)
    c = client_de(cast.referent_a)
    lignes = _lignes_csv(c.get(reverse("parcours:offre_export", args=["csv"]), {"type": "tre"}))
    assert [ligne[0] for ligne in lignes[1:]] == ["Atelier CV", "Atelier entretien d'embauche"]  # same bassin


def test_reunions_et_invites_du_perimetre_seulement(cast, client_de):
    reunion = ReunionFactory(etablissement=cast.lycee_a, campagne=cast.campagne, lieu="CDI du lycée A")
    ReunionFactory(etablissement=cast.lycee_b, campagne=cast.campagne, lieu="CDI du lycée B")
    InvitationFactory(reunion=reunion, jeune__etablissement=cast.lycee_a, jeune__nom="INVITE", presence="present")
    c = client_de(cast.conseiller_a)
    lignes = _lignes_csv(c.get(reverse("entretiens:reunions_export", args=["csv"])))
    assert [ligne[2] for ligne in lignes[1:]] == ["CDI du lycée A"] and lignes[1][5:] == ["1", "1"]
    invites = _lignes_xlsx(c.get(reverse("entretiens:reunion_invitations_export", args=[reunion.uuid, "xlsx"])))
    assert invites[1][0] == "INVITE" and invites[1][-1] == "Présent"
    # The meeting of another lycée is not revealed (404), as its page.
    assert client_de(cast.chef_b).get(
        reverse("entretiens:reunion_invitations_export", args=[reunion.uuid, "csv"])
    ).status_code == 404  # fmt: skip


def test_comptes_filtres_et_journal_sans_nom_de_jeune(cast, client_de):
    s = construire_scenario(cast)
    c = client_de(s.admin)
    lignes = _lignes_csv(c.get(reverse("administration:comptes_export", args=["csv"]), {"role": "chef"}))
    assert sorted(ligne[2] for ligne in lignes[1:]) == ["chef.a@test.fr", "chef.b@test.fr"]
    assert lignes[1][3].startswith("Chef d'établissement") and lignes[1][4] == "Actif"

    client_de(s.chef_a).get(reverse("eleves:detail", args=[s.jeune_a.uuid]))  # journaled reading of a file
    c = client_de(s.admin)
    lignes = _lignes_csv(c.get(reverse("administration:journal_export", args=["csv"]), {"action": "lecture"}))
    assert [ligne[3] for ligne in lignes[1:]] == [f"Dossier n° {s.jeune_a.uuid}"]
    assert "JEUNE-A" not in c.get(reverse("administration:journal_export", args=["csv"])).getvalue().decode()

import csv
import io
import subprocess

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from avenirpro.models import JournalAcces
from eleves.models import Contact, ImportEleves, Jeune, Reperage
from tests.eleves.factories import ContactFactory, JeuneFactory, ReperageFactory
from tests.eleves.fichiers import csv_octets, ligne

pytestmark = pytest.mark.django_db


def _jeunes(cast, n, lycee=None, **kw):
    out = []
    for i in range(n):
        j = JeuneFactory(etablissement=lycee or cast.lycee_a, nom=f"DUPONT{i}", prenoms="Éloïse")
        out.append(ReperageFactory(jeune=j, campagne=cast.campagne, **kw))
    return out


def test_liste_filtres_et_recherche_sans_accents(cast, client_de):
    r1 = ReperageFactory(jeune=JeuneFactory(etablissement=cast.lycee_a, nom="LEFÈVRE", prenoms="Zoé"),
                         campagne=cast.campagne, diplome="cap", division="TCAP1")  # fmt: skip
    ReperageFactory(
        jeune=JeuneFactory(etablissement=cast.lycee_a, nom="MARTIN", prenoms="Paul"),
        campagne=cast.campagne,
        diplome="bac_pro",
        division="TBAC",
        statut_contact="injoignable",
    )
    ReperageFactory(jeune=JeuneFactory(etablissement=cast.lycee_a, nom="SOLUTION"), campagne=cast.campagne,
                    typologie="avec_solution")  # fmt: skip
    ReperageFactory(jeune=JeuneFactory(etablissement=cast.lycee_b, nom="AUTRE"), campagne=cast.campagne)
    c = client_de(cast.chef_a)
    noms = lambda rep: [r.jeune.nom for r in rep.context["page"]]  # noqa: E731
    assert noms(c.get(reverse("eleves:liste"))) == ["LEFÈVRE", "MARTIN"]
    assert noms(c.get(reverse("eleves:liste"), {"q": "lefevre zoe"})) == ["LEFÈVRE"]
    assert noms(c.get(reverse("eleves:liste"), {"q": "ZOÉ"})) == ["LEFÈVRE"]
    assert noms(c.get(reverse("eleves:liste"), {"diplome": "bac_pro"})) == ["MARTIN"]
    assert noms(c.get(reverse("eleves:liste"), {"division": "tcap1"})) == ["LEFÈVRE"]
    assert noms(c.get(reverse("eleves:liste"), {"statut_contact": "injoignable"})) == ["MARTIN"]
    assert noms(c.get(reverse("eleves:liste"), {"typologie": "avec_solution"})) == ["SOLUTION"]
    assert r1.jeune.uuid.hex[:8] in c.get(reverse("eleves:liste")).content.decode().replace("-", "")


def test_export_csv_et_xlsx_montrent_la_liste_filtree_neutralisee_et_journalisee(cast, client_de):
    _jeunes(cast, 3)
    ReperageFactory(jeune=JeuneFactory(etablissement=cast.lycee_a, nom="=HYPERLINK(\"x\")", prenoms="@a"),
                    campagne=cast.campagne, diplome="bac_pro")  # fmt: skip
    c = client_de(cast.chef_a)
    rep = c.get(reverse("eleves:export", args=["csv"]), {"diplome": "bac_pro"})
    lignes = list(csv.reader(io.StringIO(rep.getvalue().decode("utf-8-sig")), delimiter=";"))
    assert lignes[0][0] == "INE" and len(lignes) == 2
    assert lignes[1][1] == '\'=HYPERLINK("x")' and lignes[1][2] == "'@a"
    assert JournalAcces.objects.filter(utilisateur=cast.chef_a, action="export", nombre=1).exists()
    rep = c.get(reverse("eleves:export", args=["xlsx"]))
    feuille = openpyxl.load_workbook(io.BytesIO(rep.getvalue())).active
    assert feuille.max_row == 5
    assert JournalAcces.objects.filter(action="export", nombre=4).exists()


def test_detail_journalise_et_montre_contacts_et_historique(cast, client_de):
    r = _jeunes(cast, 1)[0]
    ContactFactory(jeune=r.jeune, campagne=cast.campagne, note="Appel du matin", auteur=cast.chef_a)
    rep = client_de(cast.chef_a).get(reverse("eleves:detail", args=[r.jeune.uuid]))
    html = rep.content.decode()
    assert "Appel du matin" in html and "Historique des modifications" in html and "Création" in html
    assert JournalAcces.objects.filter(action="lecture", objet_uuid=r.jeune.uuid).exists()


def test_noter_un_contact_par_le_formulaire(cast, client_de):
    r = _jeunes(cast, 1)[0]
    c = client_de(cast.chef_a)
    rep = c.post(reverse("eleves:contact", args=[r.jeune.uuid]), {"date": "", "canal": "sms", "issue": "interesse"})
    assert rep.status_code == 200 and "date" in rep.context["form"].errors  # kept, with the error by the field
    rep = c.post(
        reverse("eleves:contact", args=[r.jeune.uuid]),
        {"date": "2026-07-02T09:30", "canal": "sms", "issue": "interesse", "relais_estival": "france_travail"},
    )
    assert rep.status_code == 302
    r.refresh_from_db()
    assert r.statut_contact == "interesse" and r.relais_estival == "france_travail"
    assert Contact.objects.get().auteur == cast.chef_a


def _texte_pdf(contenu: bytes) -> str:
    return subprocess.run(["pdftotext", "-", "-"], input=contenu, capture_output=True, check=True).stdout.decode()


def test_lettre_et_publipostage_pdf(cast, client_de):
    rs = _jeunes(cast, 3)
    c = client_de(cast.chef_a)
    rep = c.get(reverse("eleves:lettre", args=[rs[0].jeune.uuid]))
    assert rep["Content-Type"] == "application/pdf"
    texte = _texte_pdf(rep.content)
    assert "AvenirPro+" in texte and "Éloïse" in texte
    rep = c.get(reverse("eleves:publipostage"))
    texte = _texte_pdf(rep.content)
    assert all(f"DUPONT{i}" in texte for i in range(3))
    assert JournalAcces.objects.filter(action="pdf", nombre=3).exists()


def test_import_par_l_ecran_apercu_puis_confirmation(cast, client_de):
    c = client_de(cast.chef_a)
    assert b"INE" in c.get(reverse("eleves:modele")).content
    mauvais = csv_octets([ligne(1), ligne(2, INE="x"), ligne(3)], encodage="cp1252")
    fichier = io.BytesIO(mauvais)
    fichier.name = "cohorte.csv"
    rep = c.post(reverse("eleves:importer"), {"fichier": fichier, "etablissement": cast.lycee_a.pk,
                                              "campagne": cast.campagne.pk})  # fmt: skip
    imp = ImportEleves.objects.get()
    assert rep.status_code == 302 and imp.statut == "pret" and imp.apercu["en_erreur"] == 1
    rep = c.get(reverse("eleves:import_detail", args=[imp.uuid]))
    assert "INE invalide" in rep.content.decode()
    rep = c.post(reverse("eleves:import_confirmer", args=[imp.uuid]), follow=True)
    assert "corrigez-le" in rep.content.decode() and not Jeune.objects.exists()
    rep = c.post(reverse("eleves:import_confirmer", args=[imp.uuid]), {"valides_seulement": "on"})
    imp.refresh_from_db()
    assert imp.statut == "termine" and Jeune.objects.count() == 2
    assert c.get(reverse("eleves:import_etat", args=[imp.uuid])).json()["statut"] == "termine"


def test_commande_import_eleves(cast, tmp_path, capsys):
    from django.core.management import call_command

    f = tmp_path / "c.csv"
    f.write_bytes(csv_octets([ligne(1), ligne(2, **{"DATE NAISSANCE": "32/01/2007"}), ligne(3, INE="")]))
    with pytest.raises(SystemExit) as exc:
        call_command("import_eleves", str(f), "--uai", cast.lycee_a.uai)
    assert exc.value.code == 1
    out = capsys.readouterr().out.strip().splitlines()
    assert out == ["ligne 3, DATE NAISSANCE : Date invalide « 32/01/2007 » : attendu jj/mm/aaaa.",
                   "ligne 4, INE : INE manquant."]  # fmt: skip
    assert not Jeune.objects.exists()
    f.write_bytes(csv_octets([ligne(1), ligne(2)]))
    call_command("import_eleves", str(f), "--uai", cast.lycee_a.uai)
    assert not Jeune.objects.exists()  # preview only
    call_command("import_eleves", str(f), "--uai", cast.lycee_a.uai, "--commit")
    assert Jeune.objects.count() == 2 and Reperage.objects.count() == 2


@pytest.mark.parametrize("vue", ["eleves:liste", "eleves:detail"])
def test_nombre_de_requetes_constant(cast, client_de, django_assert_num_queries, vue):
    c = client_de(cast.chef_a)

    def appel(rs):
        if vue == "eleves:liste":
            return c.get(reverse(vue))
        return c.get(reverse(vue, args=[rs[0].jeune.uuid]))

    un = _jeunes(cast, 1)
    for _ in range(1 if vue == "eleves:detail" else 0):
        ContactFactory(jeune=un[0].jeune, campagne=cast.campagne, auteur=cast.chef_a)
    appel(un)  # warm-up (sessions, caches)
    with CaptureQueriesContext(connection) as q1:
        assert appel(un).status_code == 200
    if vue == "eleves:liste":
        _jeunes(cast, 49)
    else:
        for _ in range(49):
            ContactFactory(jeune=un[0].jeune, campagne=cast.campagne, auteur=cast.chef_a)
    with django_assert_num_queries(len(q1.captured_queries)):
        rep = appel(un)
    assert rep.status_code == 200
    if vue == "eleves:liste":
        assert len(rep.context["page"]) == 50
    else:
        assert len(rep.context["contacts"]) == 50


@pytest.mark.parametrize(
    "contenu",
    [b"\x00\x01PK\x03\x04garbage", "INE;NOM\r\n1;a\r\n".encode("utf-16"), b"", b"INE;NOM;PRENOMS\r\n"],
    ids=["binaire", "utf16", "vide", "colonnes-manquantes"],
)
def test_fichier_illisible_par_l_ecran_sans_500_ni_ecriture(cast, client_de, contenu):
    c = client_de(cast.chef_a)
    f = io.BytesIO(contenu)
    f.name = "x.csv"
    rep = c.post(reverse("eleves:importer"), {"fichier": f, "etablissement": cast.lycee_a.pk,
                                              "campagne": cast.campagne.pk})  # fmt: skip
    if not contenu:  # an empty upload is refused by the form, next to the field
        assert rep.status_code == 200 and rep.context["form"].errors["fichier"]
        return
    imp = ImportEleves.objects.get()
    assert imp.apercu["erreur_fichier"]
    assert c.get(reverse("eleves:import_detail", args=[imp.uuid])).status_code == 200
    c.post(reverse("eleves:import_confirmer", args=[imp.uuid]), {"valides_seulement": "on"})
    imp.refresh_from_db()
    assert imp.statut == "pret" and not Jeune.objects.exists()

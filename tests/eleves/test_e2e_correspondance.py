"""Browser: a chef uploads a cohort file whose headers are not the known ones, maps the columns in the mapping step
(best guesses pre-selected, a sample of each column), imports; the next file with the same headers needs no mapping."""

import pytest
from playwright.sync_api import expect

from eleves.models import CorrespondanceColonnes, Jeune
from tests.e2e.captures import capturer, page_csp_libre  # noqa: F401
from tests.e2e.test_accessibilite import _connecter
from tests.eleves.fichiers import csv_octets, xlsx_octets
from tests.eleves.test_correspondance import lignes_renommees

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _deposer(page, live_server, nom, contenu):
    page.goto(f"{live_server.url}/jeunes/import/")
    page.get_by_label("Fichier des résultats").set_input_files(
        {"name": nom, "mimeType": "text/csv", "buffer": contenu}
    )
    page.get_by_role("button", name="Analyser le fichier").click()


def test_etape_de_correspondance_puis_fichier_suivant(page_csp_libre, live_server, cast, donnees_reference):  # noqa: F811
    page = page_csp_libre
    _connecter(page, live_server, cast.chef_a)
    page.set_viewport_size({"width": 1280, "height": 900})
    lignes = lignes_renommees(1, 2, 3)
    # «Décision finale» is not offered as the result: the user picks it.
    entetes = [*lignes[0].keys()]
    entetes[entetes.index("Décision finale")] = "Dec."
    for d in lignes:
        d["Dec."] = d.pop("Décision finale")
    _deposer(page, live_server, "cohorte.csv", csv_octets(lignes, encodage="cp1252", entetes=entetes))
    expect(page.get_by_role("heading", name="Correspondance des colonnes")).to_be_visible()
    expect(page.get_by_role("button", name="Confirmer l'import")).to_have_count(0)
    # Best guesses pre-selected, with a sample of values in the option and the table of the file's columns.
    expect(page.locator("select[name=date_naissance]")).to_have_value(str(entetes.index("Date de naiss.")))
    assert "Date de naiss. — ex. : 14/03/2007" in page.locator("select[name=date_naissance]").inner_text()
    expect(page.locator("select[name=prenoms]")).to_have_value(str(entetes.index("Prénom usuel")))
    # Each select is named by its label (the field and its hint).
    expect(page.get_by_role("combobox", name="Date de naissance jj/mm/aaaa.")).to_be_visible()
    expect(page.locator("#colonnes-fichier")).to_contain_text("NOM1 ; NOM2 ; NOM3")
    page.locator("select[name=resultat]").select_option(label="Dec. — ex. : AJOURNE, ABSENT, ADMIS")
    assert capturer(page, "import-correspondance") == []
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("button", name="Enregistrer la correspondance et analyser à nouveau").click()
    expect(page.get_by_text("Correspondance des colonnes enregistrée pour ce lycée")).to_be_visible()
    expect(page.locator("#compte-nouveaux")).to_have_text("3")
    page.get_by_role("button", name="Confirmer l'import").click()
    expect(page.get_by_text("Import terminé")).to_be_visible()
    assert Jeune.objects.count() == 3
    assert CorrespondanceColonnes.objects.get().correspondance["resultat"] == "Dec."

    # The next file, same headers, as an XLSX: read with the saved mapping, no mapping step.
    suivantes = [{**d, "N° INE élève": f"{900 + i:09d}ZZ"} for i, d in enumerate(lignes)]
    _deposer(page, live_server, "cohorte.xlsx", xlsx_octets(suivantes))
    expect(page.get_by_text("Colonnes lues avec la correspondance enregistrée pour ce lycée")).to_be_visible()
    expect(page.locator("#compte-nouveaux")).to_have_text("3")
    page.screenshot(path="test-results/import-correspondance-reprise-1280.png", full_page=True)
    page.get_by_role("button", name="Confirmer l'import").click()
    expect(page.get_by_text("Import terminé")).to_be_visible()
    assert Jeune.objects.count() == 6

"""The documents of a parcours in a browser, as a référent on a phone or a desk: from the PFMP page (gauge alert:
PFMP under way without a signed convention) to the documents page, generate the convention, upload a renamed
executable (refused, in French), upload the signed scan, download it, then mark the convention signed.
Screenshots and axe-core at 1280 px and 390 px."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from documents.models import PieceSignee
from parcours.models import PFMP
from tests.documents.conftest import ELF, fichiers_stockes, pdf_valide
from tests.e2e.captures import capturer, page_csp_libre  # noqa: F401
from tests.e2e.test_accessibilite import _connecter

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_generer_deposer_telecharger_signer(
    page_csp_libre,  # noqa: F811
    live_server,
    cast,
    donnees_reference,
    inscription,
    pfmp,
    stockage_documents,
    tmp_path,
):
    page = page_csp_libre
    _connecter(page, live_server, cast.referent_a)
    page.goto(f"{live_server.url}{reverse('parcours:pfmp', kwargs={'uuid': inscription.uuid})}")
    assert page.get_by_test_id("pfmp-sans-convention").text_content().startswith("1 période en entreprise en cours")
    page.get_by_role("link", name=re.compile("documents de la période Boulangerie Martin")).click()
    expect(page.get_by_role("heading", name="Documents du parcours", level=1)).to_be_visible()
    assert capturer(page, "documents-parcours") == []

    # The convention is generated from the PFMP's data (a PDF, not cached).
    lien = page.get_by_role("link", name="Convention (PDF)").get_attribute("href")
    reponse = page.request.get(f"{live_server.url}{lien}")
    assert reponse.status == 200 and reponse.headers["content-type"] == "application/pdf"
    assert reponse.body().startswith(b"%PDF") and reponse.headers["cache-control"] == "no-store"

    # A renamed executable is refused by its content, in French, and nothing is written.
    faux = tmp_path / "convention-signee.pdf"
    faux.write_bytes(ELF)
    page.locator("#id_type").select_option("convention")
    page.locator("#id_pfmp").select_option(str(pfmp.uuid))
    page.locator("#id_fichier").set_input_files(str(faux))
    page.get_by_role("button", name="Déposer").click()
    expect(page.get_by_text("son contenu est un programme exécutable (ELF)")).to_be_visible()
    assert capturer(page, "documents-depot-refuse") == []
    assert PieceSignee.objects.count() == 0 and fichiers_stockes(stockage_documents) == []

    # The signed scan.
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(pdf_valide())
    page.locator("#id_type").select_option("convention")
    page.locator("#id_pfmp").select_option(str(pfmp.uuid))
    page.locator("#id_fichier").set_input_files(str(scan))
    page.get_by_role("button", name="Déposer").click()
    expect(page.get_by_text("Convention de PFMP signée déposée.")).to_be_visible()
    expect(page.get_by_text("copie signée déposée", exact=True)).to_be_visible()
    assert capturer(page, "documents-depose") == []
    with page.expect_download() as telechargement:
        page.get_by_role("link", name=re.compile("^Télécharger")).first.click()
    assert open(telechargement.value.path(), "rb").read() == scan.read_bytes()

    # Now the PFMP can be marked «convention signée»; the gauge no longer warns.
    modifier = reverse("parcours:pfmp_modifier", kwargs={"uuid": inscription.uuid, "pfmp_uuid": pfmp.uuid})
    page.goto(f"{live_server.url}{modifier}")
    page.get_by_label("Convention signée le").fill("2026-11-20")
    page.get_by_role("button", name=re.compile("Enregistrer")).click()
    assert PFMP.objects.get(pk=pfmp.pk).convention_signee_le is not None
    page.goto(f"{live_server.url}{reverse('parcours:pfmp', kwargs={'uuid': inscription.uuid})}")
    assert page.get_by_test_id("pfmp-sans-convention").count() == 0

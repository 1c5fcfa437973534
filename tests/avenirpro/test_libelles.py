"""Wording details users stumbled on (issue «Finding and running»): each one checked where it appears."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_connexion_sans_lien_s_inscrire(client):
    contenu = client.get(reverse("account_login")).content.decode()
    assert reverse("account_signup") not in contenu and "inscrire" not in contenu.lower()


def test_case_de_confirmation_de_l_import_pas_optionnelle_quand_elle_est_exigee(client_de, cast):
    from eleves.models import ImportEleves
    from eleves.services import analyser_import
    from tests.eleves.fichiers import csv_octets, ligne

    imp = ImportEleves.objects.create(
        etablissement=cast.lycee_a,
        campagne=cast.campagne,
        auteur=cast.chef_a,
        nom_fichier="c.csv",
        contenu=csv_octets([ligne(1), ligne(2, INE="FAUX")]),
    )
    analyser_import(imp)
    assert imp.apercu["erreurs"]
    contenu = client_de(cast.chef_a).get(reverse("eleves:import_detail", args=[imp.uuid])).content.decode()
    libelle = contenu.split("Je confirme n")[1].split("</label>")[0]
    assert "Optionnel" not in libelle


def test_pas_de_facultatif_optionnel(client_de, cast):
    from parcours.forms import ActionForm

    assert "facultatif" not in str(ActionForm.base_fields["offre"].label)


def test_le_conseiller_ne_s_envoie_pas_l_invitation(client_de, cast):
    from tests.entretiens.factories import ReunionFactory

    reunion = ReunionFactory(etablissement=cast.lycee_a, campagne=cast.campagne, mission_locale=cast.ml_a)
    url = reverse("entretiens:reunion_detail", args=[reunion.uuid])
    assert "invitation à la mission locale (agenda .ics)" in client_de(cast.chef_a).get(url).content.decode()
    assert "invitation à la mission locale (agenda .ics)" not in client_de(cast.conseiller_a).get(url).content.decode()


def test_cellule_masquee_lue_comme_un_effectif(client_de, cast):
    from tests.parcours.factories import InscriptionFactory

    InscriptionFactory(campagne=cast.campagne, jeune__etablissement=cast.lycee_a)
    contenu = client_de(cast.pilotage).get(reverse("tableaux:pilotage"), {"par": "lycee"}).content.decode()
    assert "secret</abbr>" in contenu and "effectif trop faible" in contenu and "&lt; 5" not in contenu


def test_glossaire_et_sigles_expliques(client_de, cast):
    from avenirpro.views import GLOSSAIRE

    client = client_de(cast.referent_a)
    contenu = client.get(reverse("glossaire")).content.decode()
    for sigle in ("PFMP", "PSAD", "MLDS", "TRE", "FOQUALE", "INE", "MEF"):
        assert sigle in dict((s, d) for s, d, _ in GLOSSAIRE), sigle
        assert f'<abbr title="{dict((s, d) for s, d, _ in GLOSSAIRE)[sigle]}">{sigle}</abbr>' in contenu.replace(
            "&#x27;", "'"
        )
    assert f'href="{reverse("glossaire")}"' in client.get(reverse("accueil")).content.decode()
    contenu = client_de(cast.chef_a).get(reverse("parcours:liste")).content.decode()
    assert '<abbr title="Module élémentaire de formation">MEF</abbr>' in contenu

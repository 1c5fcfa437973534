"""Issue #14 case 11: identifiers. La Poste's establishments (SIREN 356000000) have their own SIRET check (sum of the
digits a multiple of 5); the I-Milo file number is digits only and flagged when two young people share it."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from avenirpro.validators import normaliser_numero_imilo, siret_valide
from parcours import regles, services
from parcours.models import PFMP, Inscription
from tests.eleves.factories import JeuneFactory, ReperageFactory
from tests.parcours.factories import InscriptionFactory

pytestmark = pytest.mark.django_db

D = datetime.date
LA_POSTE = "35600000049837"  # a post office: not Luhn-valid, digits sum to 45


def test_siret_de_la_poste():
    assert siret_valide(LA_POSTE)
    assert siret_valide("356 000 000 00048")  # head office: Luhn key
    assert not siret_valide("35600000049838")  # sum 46: neither rule
    assert not siret_valide("73282932000075")  # another company keeps Luhn only
    assert siret_valide("73282932000074")


def test_une_pfmp_dans_un_bureau_de_poste_est_acceptee(cast, client_de):
    inscription = InscriptionFactory(jeune=JeuneFactory(etablissement=cast.lycee_a), campagne=cast.campagne)
    pfmp = services.enregistrer_pfmp(
        inscription=inscription,
        pfmp=PFMP(entreprise="La Poste – bureau", siret=LA_POSTE, date_debut=D(2026, 11, 2), date_fin=D(2026, 11, 6)),
    )
    assert pfmp.pk
    with pytest.raises(ValidationError, match="SIRET"):
        services.enregistrer_pfmp(
            inscription=inscription,
            pfmp=PFMP(entreprise="X", siret="35600000049838", date_debut=D(2026, 11, 9), date_fin=D(2026, 11, 10)),
        )
    r = client_de(cast.chef_a).post(
        reverse("parcours:pfmp", kwargs={"uuid": inscription.uuid}),
        {"type": "pfmp", "entreprise": "La Poste – centre de tri", "siret": "35600000059872",
         "date_debut": "16/11/2026", "date_fin": "20/11/2026", "heures_hebdo": "35"},
    )  # fmt: skip
    assert r.status_code == 302 and inscription.pfmps.filter(siret="35600000059872").exists()


def test_numero_imilo_normalise():
    assert normaliser_numero_imilo(" 12 345-678 ") == "12345678"
    assert normaliser_numero_imilo("") == ""
    for mauvais in ("abc <b>", "IM-12", "12;34"):
        with pytest.raises(ValidationError, match="que des chiffres"):
            normaliser_numero_imilo(mauvais)


def _jeune(cast):
    jeune = JeuneFactory(etablissement=cast.lycee_a)
    ReperageFactory(jeune=jeune, campagne=cast.campagne)
    return jeune


def test_numero_imilo_par_le_service(cast):
    i = services.inscrire(jeune=_jeune(cast), campagne=cast.campagne, date_entree=D(2026, 9, 14), numero_imilo="12 34")
    assert i.numero_imilo == "1234"
    with pytest.raises(ValidationError) as exc:
        services.inscrire(
            jeune=_jeune(cast), campagne=cast.campagne, date_entree=D(2026, 9, 14), numero_imilo="abc <b>"
        )
    assert "numero_imilo" in exc.value.message_dict
    with pytest.raises(ValidationError):
        services.modifier_inscription(inscription=i, version=i.version, donnees={"numero_imilo": "x1"})
    i = services.modifier_inscription(inscription=i, version=i.version, donnees={"numero_imilo": "56.78"})
    assert Inscription.objects.get(pk=i.pk).numero_imilo == "5678"


def test_numero_imilo_partage_signale_a_l_enregistrement_et_par_l_audit(cast, client_de):
    services.inscrire(jeune=_jeune(cast), campagne=cast.campagne, date_entree=D(2026, 9, 14), numero_imilo="4242")
    assert regles.numeros_imilo_partages() == []
    client = client_de(cast.chef_a)
    jeune = _jeune(cast)
    url = reverse("parcours:inscrire", kwargs={"jeune_uuid": jeune.uuid})
    r = client.post(
        url, {"date_entree": "14/09/2026", "statut": "en_preparation", "numero_imilo": "42 42"}, follow=True
    )
    page = r.content.decode()
    assert "Inscription enregistrée." in page
    assert "Le numéro I-Milo 4242 figure aussi sur le dossier de 1 autre(s) jeune(s)" in page
    assert regles.numeros_imilo_partages() == ["I-Milo – le numéro 4242 figure sur 2 jeunes."]
    # the edit screen warns too, and a distinct number is saved without warning
    i = Inscription.objects.get(jeune=jeune)
    r = client.post(
        reverse("parcours:modifier", kwargs={"uuid": i.uuid}),
        {"version": i.version, "date_entree": "14/09/2026", "statut": "en_preparation", "numero_imilo": "4243"},
        follow=True,
    )
    assert "Parcours mis à jour." in r.content.decode() and "figure aussi" not in r.content.decode()
    assert regles.numeros_imilo_partages() == []

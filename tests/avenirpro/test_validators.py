import pytest
from django.core.exceptions import ValidationError

from avenirpro.validators import ine_valide, siret_valide, uai_valide, valider_uai


@pytest.mark.parametrize("uai", ["0750654D", "0699901" + "ABCDEFGHJKLMNPRSTUVWXYZ"[699901 % 23]])
def test_uai_valide(uai):
    assert uai_valide(uai)


@pytest.mark.parametrize("uai", ["0750654E", "075065D", "07506540", "", "0750654d1"])
def test_uai_invalide(uai):
    assert not uai_valide(uai)


def test_uai_invalide_message_en_francais():
    with pytest.raises(ValidationError, match="lettre clé"):
        valider_uai("0750654E")


def test_ine():
    assert ine_valide("1234567890A")
    assert not ine_valide("1234567890a")
    assert not ine_valide("1234567890")
    assert not ine_valide("1234567890AB")


def test_siret_luhn():
    assert siret_valide("73282932000074")
    assert siret_valide("732 829 320 00074")
    assert not siret_valide("73282932000075")
    assert not siret_valide("7328293200007")

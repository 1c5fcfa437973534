"""Dates that make sense for meetings and interviews: a held interview is not in the future, a new meeting is not
in the past, attendance is recorded from the meeting's day on — in the model / service every write goes through,
with the message next to the field on the forms."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from entretiens import services
from entretiens.models import Entretien, Invitation, Reunion
from tests.eleves.factories import JeuneFactory
from tests.entretiens.factories import InvitationFactory, ReunionFactory

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")
MAINTENANT = datetime.datetime(2026, 11, 18, 10, 0, tzinfo=PARIS)


@time_machine.travel(MAINTENANT, tick=False)
def test_un_entretien_realise_ne_peut_pas_etre_dans_le_futur(cast):
    jeune = JeuneFactory(etablissement=cast.lycee_a)
    e = Entretien(
        jeune=jeune,
        campagne=cast.campagne,
        type="entree",
        statut="realise",
        date=MAINTENANT + datetime.timedelta(days=3),
    )
    with pytest.raises(ValidationError) as exc:
        e.full_clean(exclude=["auteur"])
    assert "ne peut pas être daté dans le futur" in exc.value.message_dict["date"][0]
    e.statut = Entretien.Statut.PLANIFIE
    e.full_clean(exclude=["auteur"])  # planned: fine
    e.statut, e.date = Entretien.Statut.REALISE, MAINTENANT - datetime.timedelta(hours=1)
    e.full_clean(exclude=["auteur"])


@time_machine.travel(MAINTENANT, tick=False)
def test_le_formulaire_d_entretien_affiche_l_erreur_a_cote_de_la_date(cast, client_de):
    jeune = JeuneFactory(etablissement=cast.lycee_a)
    url = reverse("entretiens:entretien_creer", kwargs={"jeune_uuid": jeune.uuid})
    r = client_de(cast.chef_a).post(
        url, {"type": "entree", "statut": "realise", "jour": "2030-01-01", "heure": "10:00"}
    )
    assert r.status_code == 200
    assert "ne peut pas être daté dans le futur" in str(r.context["form"].errors["jour"])
    assert not Entretien.objects.exists()


@time_machine.travel(MAINTENANT, tick=False)
def test_une_nouvelle_reunion_ne_peut_pas_etre_dans_le_passe(cast, client_de):
    r = client_de(cast.chef_a).post(
        reverse("entretiens:reunion_creer"),
        {
            "etablissement": cast.lycee_a.pk,
            "jour": "2020-01-15",
            "heure": "14:00",
            "lieu": "CDI",
            "duree_minutes": 90,
        },
    )
    assert r.status_code == 200
    assert r.context["form"].errors["jour"] == ["Une nouvelle réunion ne peut pas être fixée dans le passé."]
    assert not Reunion.objects.exists()
    # An existing meeting that took place keeps its date when its place is corrected afterwards.
    passee = ReunionFactory(
        etablissement=cast.lycee_a, campagne=cast.campagne, debut=MAINTENANT - datetime.timedelta(days=20)
    )
    passee.lieu = "Salle B"
    passee.full_clean(exclude=["cree_par"])
    passee.debut = MAINTENANT - datetime.timedelta(days=30)
    with pytest.raises(ValidationError):
        passee.full_clean(exclude=["cree_par"])


@time_machine.travel(MAINTENANT, tick=False)
def test_la_presence_a_une_reunion_se_saisit_a_partir_de_son_jour(cast, client_de):
    reunion = ReunionFactory(
        etablissement=cast.lycee_a, campagne=cast.campagne, debut=MAINTENANT + datetime.timedelta(days=11)
    )
    a = InvitationFactory(reunion=reunion, jeune=JeuneFactory(etablissement=cast.lycee_a))
    b = InvitationFactory(reunion=reunion, jeune=JeuneFactory(etablissement=cast.lycee_a))
    with pytest.raises(ValidationError) as exc:
        services.enregistrer_presences(reunion=reunion, presences={a.pk: "excuse", b.pk: "present"})
    assert "la présence se saisit à partir de ce jour" in exc.value.messages[0]
    a.refresh_from_db()
    assert a.presence == Invitation.Presence.A_RENSEIGNER  # all or nothing
    url = reverse("entretiens:reunion_presences", kwargs={"uuid": reunion.uuid})
    r = client_de(cast.chef_a).post(url, {f"presence-{a.uuid}": "excuse", f"presence-{b.uuid}": "absent"})
    assert r.status_code == 200 and "la présence se saisit à partir de ce jour" in r.content.decode()
    # An excuse may come before the day.
    assert services.enregistrer_presences(reunion=reunion, presences={a.pk: "excuse"}) == 1
    with time_machine.travel(MAINTENANT + datetime.timedelta(days=11), tick=False):
        assert services.enregistrer_presences(reunion=reunion, presences={b.pk: "present"}) == 1

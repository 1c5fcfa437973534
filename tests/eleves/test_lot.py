"""Bulk actions on the worklist (eleves/lot.py): one contact for several, the typology with its reason, the référent
and the counsellor — all or nothing, each row checked like the single edit."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from eleves.models import Contact, Reperage
from parcours.models import Inscription
from tests.eleves.factories import JeuneFactory, ReperageFactory
from tests.parcours.factories import InscriptionFactory

pytestmark = pytest.mark.django_db


def _reperages(cast, n, lycee=None):
    return [
        ReperageFactory(jeune=JeuneFactory(etablissement=lycee or cast.lycee_a), campagne=cast.campagne)
        for _ in range(n)
    ]


def _post(client, cast, reperages, action, **champs):
    donnees = {
        "action": action,
        "campagne": cast.campagne.session,
        "jeunes": [str(r.jeune.uuid) for r in reperages],
        **{f"{action}-{k}": v for k, v in champs.items()},
    }
    return client.post(reverse("eleves:lot"), donnees)


def test_un_contact_pour_plusieurs(client_de, cast):
    reperages = _reperages(cast, 3)
    r = _post(
        client_de(cast.chef_a),
        cast,
        reperages,
        "contact",
        date="2026-07-03T10:00",
        canal="sms",
        issue="injoignable",
        note="SMS de rappel",
    )
    assert r.status_code == 302 and r["Location"].startswith(reverse("eleves:liste"))
    assert Contact.objects.filter(canal="sms", note="SMS de rappel", auteur=cast.chef_a).count() == 3
    assert set(Reperage.objects.values_list("statut_contact", flat=True)) == {"injoignable"}


def test_typologie_exige_un_motif_puis_s_applique_a_tous(client_de, cast):
    reperages = _reperages(cast, 2)
    client = client_de(cast.chef_a)
    r = _post(client, cast, reperages, "typologie", typologie="diplome_sans_solution", motif="")
    assert r.status_code == 200 and "Ce champ est obligatoire" in r.content.decode()
    assert not Reperage.objects.filter(typologie="diplome_sans_solution").exists()
    _post(client, cast, reperages, "typologie", typologie="diplome_sans_solution", motif="Entretien du 03/07")
    for rep in Reperage.objects.all():
        assert (rep.typologie, rep.typologie_forcee, rep.typologie_modifiee_motif) == (
            "diplome_sans_solution",
            True,
            "Entretien du 03/07",
        )
        assert rep.history.first().history_change_reason.startswith("Typologie modifiée")


def test_un_jeune_hors_perimetre_refuse_toute_la_selection(client_de, cast):
    a = _reperages(cast, 2)
    b = _reperages(cast, 1, lycee=cast.lycee_b)
    client = client_de(cast.chef_a)
    assert client.get(reverse("eleves:lot"), {"jeunes": [str(x.jeune.uuid) for x in a + b]}).status_code == 403
    r = _post(client, cast, a + b, "contact", date="2026-07-03T10:00", canal="sms", issue="joint")
    assert r.status_code == 403
    assert Contact.objects.count() == 0
    # The other lycée's chef cannot act on lycée A's young people either.
    assert (
        _post(
            client_de(cast.chef_b), cast, a, "contact", date="2026-07-03T10:00", canal="sms", issue="joint"
        ).status_code
        == 403
    )
    assert Contact.objects.count() == 0


@pytest.mark.parametrize("membre", ["referent_a", "conseiller_a", "psy_a", "pilotage", "admin"])
def test_reservee_a_la_direction(client_de, cast, membre):
    a = _reperages(cast, 1)
    r = _post(
        client_de(getattr(cast, membre)), cast, a, "contact", date="2026-07-03T10:00", canal="sms", issue="joint"
    )
    assert r.status_code == 403 and Contact.objects.count() == 0


def test_designation_tout_ou_rien(client_de, cast):
    inscrits = _reperages(cast, 2)
    for rep in inscrits:
        InscriptionFactory(jeune=rep.jeune, campagne=cast.campagne)
    pas_inscrit = _reperages(cast, 1)
    client = client_de(cast.chef_a)
    # One young person of the selection has no parcours: nothing is designated.
    r = _post(
        client,
        cast,
        inscrits + pas_inscrit,
        "designation",
        referent=cast.referent_a.pk,
        conseiller=cast.conseiller_a.pk,
    )
    assert r.status_code == 200 and "pas inscrit pour cette campagne" in r.content.decode()
    assert not Inscription.objects.filter(referent__isnull=False).exists()
    r = _post(client, cast, inscrits, "designation", referent=cast.referent_a.pk, conseiller=cast.conseiller_a.pk)
    assert r.status_code == 302
    assert set(Inscription.objects.values_list("referent_id", "conseiller_id")) == {
        (cast.referent_a.pk, cast.conseiller_a.pk)
    }
    # Only the counsellor: the référent stays.
    _post(client, cast, inscrits, "designation", conseiller=cast.conseiller_a.pk)
    assert set(Inscription.objects.values_list("referent_id", flat=True)) == {cast.referent_a.pk}


def test_designation_refuse_un_conseiller_qui_ne_couvre_pas_le_lycee(cast):
    """The service checks each row as the parcours does (the form offers only those who fit)."""
    from django.core.exceptions import ValidationError

    from parcours.lot import designer_groupe

    rep = _reperages(cast, 1)
    InscriptionFactory(jeune=rep[0].jeune, campagne=cast.campagne)
    with pytest.raises(ValidationError, match="mission locale qui couvre"):
        designer_groupe(auteur=cast.chef_a, reperages=rep, conseiller=cast.conseiller_b)
    assert Inscription.objects.get().conseiller_id is None


def test_nombre_de_requetes_de_la_page(client_de, cast):
    client = client_de(cast.chef_a)
    un = _reperages(cast, 1)
    client.get(reverse("eleves:lot"), {"jeunes": [str(un[0].jeune.uuid)]})
    with CaptureQueriesContext(connection) as q1:
        client.get(reverse("eleves:lot"), {"jeunes": [str(un[0].jeune.uuid)]})
    cinquante = un + _reperages(cast, 49)
    with CaptureQueriesContext(connection) as q50:
        r = client.get(reverse("eleves:lot"), {"jeunes": [str(x.jeune.uuid) for x in cinquante]})
    assert "Actions groupées (50 jeunes)" in r.content.decode()
    assert len(q50) == len(q1), [q["sql"] for q in q50.captured_queries]


def test_la_liste_propose_la_selection(client_de, cast):
    rep = _reperages(cast, 1)[0]
    contenu = client_de(cast.chef_a).get(reverse("eleves:liste")).content.decode()
    assert f'name="jeunes" value="{rep.jeune.uuid}"' in contenu and "Agir sur la sélection" in contenu
    assert "csrfmiddlewaretoken" not in contenu.split('id="selection"')[1].split("</form>")[0]

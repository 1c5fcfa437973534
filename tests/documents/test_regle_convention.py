"""R18: a PFMP is «convention signée» only with its signed copy, on every write path (form, service, the parcours'
rules run after each write, the database audit); the gauge and the chef's dashboard count the PFMP under way
without a signed convention."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from documents.demo import deposer_copie_de_demonstration
from parcours import services as services_parcours
from parcours.conformite import ecarts_parcours
from parcours.models import PFMP

pytestmark = pytest.mark.django_db
D = datetime.date


def test_r14_service_refuse_sans_copie_signee_puis_accepte(inscription, pfmp):
    pfmp.convention_signee_le = D(2026, 11, 20)
    with pytest.raises(ValidationError) as exc:
        services_parcours.enregistrer_pfmp(inscription=inscription, pfmp=pfmp)
    assert "convention signée déposée" in str(exc.value.error_dict["convention_signee_le"])
    assert PFMP.objects.get(pk=pfmp.pk).convention_signee_le is None

    deposer_copie_de_demonstration(pfmp)
    pfmp.signataires = "Le proviseur, l'entreprise, le jeune, le responsable légal"
    services_parcours.enregistrer_pfmp(inscription=inscription, pfmp=pfmp)
    assert PFMP.objects.get(pk=pfmp.pk).convention_signee_le == D(2026, 11, 20)


def test_r14_nouvelle_pfmp_ne_peut_naitre_signee(inscription):
    with pytest.raises(ValidationError, match="convention signée déposée"):
        services_parcours.enregistrer_pfmp(
            inscription=inscription,
            pfmp=PFMP(
                entreprise="X",
                date_debut=D(2026, 11, 2),
                date_fin=D(2026, 11, 6),
                convention_signee_le=D(2026, 10, 20),
                signataires="le responsable légal",
            ),
        )


def test_r14_ecran_de_la_pfmp(cast, client_de, inscription, pfmp):
    client = client_de(cast.referent_a)
    url = reverse("parcours:pfmp_modifier", kwargs={"uuid": inscription.uuid, "pfmp_uuid": pfmp.uuid})
    donnees = {
        "type": "pfmp",
        "entreprise": pfmp.entreprise,
        "siret": pfmp.siret,
        "adresse": pfmp.adresse,
        "tuteur_nom": pfmp.tuteur_nom,
        "tuteur_telephone": pfmp.tuteur_telephone,
        "convention_signee_le": "20/11/2026",
        "signataires": "Le proviseur, l'entreprise, le jeune, le responsable légal",
        "date_debut": "23/11/2026",
        "date_fin": "04/12/2026",
        "heures_hebdo": "35",
        "activites": pfmp.activites,
    }
    reponse = client.post(url, donnees)
    assert reponse.status_code == 200
    assert "convention signée déposée" in reponse.content.decode()
    assert PFMP.objects.get(pk=pfmp.pk).convention_signee_le is None
    deposer_copie_de_demonstration(pfmp, user=cast.referent_a)
    assert client.post(url, donnees).status_code == 302
    assert PFMP.objects.get(pk=pfmp.pk).convention_signee_le == D(2026, 11, 20)


def test_r14_ecart_vu_par_les_regles_du_parcours_et_l_audit(inscription, pfmp):
    """A write that bypasses the model (a bulk update) is still caught by the parcours' rules (the audit, and the
    next write under lock)."""
    PFMP.objects.filter(pk=pfmp.pk).update(convention_signee_le=D(2026, 11, 20))
    ecarts = [e for e in ecarts_parcours(inscription) if e.regle == "R18"]
    assert len(ecarts) == 1 and "Boulangerie Martin" in ecarts[0].message
    deposer_copie_de_demonstration(pfmp)
    assert not [e for e in ecarts_parcours(inscription) if e.regle == "R18"]


def test_jauge_et_tableau_du_chef_comptent_les_pfmp_en_cours_sans_convention(cast, client_de, inscription, pfmp):
    # A finished PFMP without convention is not «under way».
    services_parcours.enregistrer_pfmp(
        inscription=inscription,
        pfmp=PFMP(entreprise="Ancienne", date_debut=D(2026, 10, 5), date_fin=D(2026, 10, 9)),
    )
    page = client_de(cast.referent_a).get(reverse("parcours:pfmp", kwargs={"uuid": inscription.uuid}))
    assert "1 période en entreprise en cours sans convention signée" in page.content.decode()

    chef = client_de(cast.chef_a)
    tableau = chef.get(reverse("tableaux:chef")).content.decode()
    assert "PFMP en cours sans convention signée" in tableau
    from tableaux.statistiques import chiffres

    assert chiffres(cast.campagne, {"pk__in": [cast.lycee_a.pk]})[None]["pfmp_sans_convention"] == 1
    liste = chef.get(reverse("parcours:liste"), {"alerte": "pfmp_sans_convention"}).content.decode()
    assert "DURAND" in liste

    deposer_copie_de_demonstration(pfmp)
    pfmp.convention_signee_le = D(2026, 11, 20)
    pfmp.signataires = "le responsable légal"
    services_parcours.enregistrer_pfmp(inscription=inscription, pfmp=pfmp)
    page = client_de(cast.referent_a).get(reverse("parcours:pfmp", kwargs={"uuid": inscription.uuid}))
    assert "sans convention signée" not in page.content.decode()
    assert chiffres(cast.campagne, {"pk__in": [cast.lycee_a.pk]})[None]["pfmp_sans_convention"] == 0
    assert "DURAND" not in chef.get(reverse("parcours:liste"), {"alerte": "pfmp_sans_convention"}).content.decode()


def _requetes_de_l_audit(cast, n) -> tuple[int, list]:
    """The audit over n parcours, each with one PFMP marked signed WITHOUT its copy (bulk update) and one with it."""
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from parcours.verification import constats
    from tests.eleves.factories import JeuneFactory, ReperageFactory

    with transaction.atomic():
        for k in range(n):
            jeune = JeuneFactory(etablissement=cast.lycee_a)
            ReperageFactory(jeune=jeune, campagne=cast.campagne, diplome="cap")
            i = services_parcours.inscrire(
                jeune=jeune,
                campagne=cast.campagne,
                date_entree=D(2026, 9, 14),
                referent=cast.referent_a,
                conseiller=cast.conseiller_a,
                statut="en_cours",
            )
            sans, avec = (
                services_parcours.enregistrer_pfmp(
                    inscription=i,
                    pfmp=PFMP(
                        entreprise=f"Entreprise {k}-{m}",
                        date_debut=D(2026, 10, 5 + 7 * m),
                        date_fin=D(2026, 10, 9 + 7 * m),
                    ),
                )
                for m in (0, 1)
            )
            deposer_copie_de_demonstration(avec)
            PFMP.objects.filter(pk__in=[sans.pk, avec.pk]).update(convention_signee_le=D(2026, 10, 1))
        with CaptureQueriesContext(connection) as ctx:
            r18 = [(i, e) for i, e in constats() if e.regle == "R18"]
        transaction.set_rollback(True)
    return len(ctx.captured_queries), r18


def test_l_audit_lit_les_copies_signees_par_lot(cast):
    """R18 in the database audit (verifier_regles, the daily sweep): each PFMP marked signed without its copy is
    found, and the copies are read once per batch, not once per parcours."""
    un, r18 = _requetes_de_l_audit(cast, 1)
    assert len(r18) == 1 and "Entreprise 0-0" in r18[0][1].message
    dix, r18 = _requetes_de_l_audit(cast, 10)
    assert sorted(e.message.rsplit("(", 1)[1].split(",")[0] for _, e in r18) == [
        f"Entreprise {k}-0" for k in range(10)
    ]
    assert un == dix, (un, dix)

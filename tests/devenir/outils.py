"""Shared by the devenir tests: exited parcours, the token of a sent e-mail, the instants."""

import datetime
import re

from django.core import mail

from tests.eleves.factories import JeuneFactory
from tests.parcours.factories import InscriptionFactory

SORTIE = datetime.date(2026, 10, 20)
# Paris 10:00 on the days the 3- and 6-month points fall due (20/01/2027 and 20/04/2027), and a day later.
A_3_MOIS = datetime.datetime(2027, 1, 21, 9, 0, tzinfo=datetime.UTC)
A_6_MOIS = datetime.datetime(2027, 4, 21, 8, 0, tzinfo=datetime.UTC)


def sorti(cast, *, nom="SORTI", courriel="", accord=False, liaison=False, lycee=None, **kwargs):
    """An exited parcours of lycée A followed by referent_a and conseiller_a, with the consent given at exit."""
    from devenir.models import Consentement

    jeune = JeuneFactory(etablissement=lycee or cast.lycee_a, nom=nom, prenoms="Camille", email=courriel)
    i = InscriptionFactory(
        jeune=jeune,
        campagne=cast.campagne,
        referent=cast.referent_a if lycee in (None, cast.lycee_a) else None,
        conseiller=cast.conseiller_a if lycee in (None, cast.lycee_a) else None,
        statut="sortie",
        date_sortie=kwargs.pop("date_sortie", SORTIE),
        motif_sortie="fin_parcours",
        situation_sortie="emploi",
        **kwargs,
    )
    if courriel or accord or liaison:
        Consentement.objects.create(inscription=i, courriel=courriel, accord_devenir=accord, accord_liaison=liaison)
    return i


def jetons_envoyes(adresse: str) -> list[str]:
    """The one-time tokens e-mailed to `adresse` (locmem backend)."""
    return [
        m
        for message in mail.outbox
        if adresse in message.to
        for m in re.findall(r"/devenir/reponse/([^/\s]+)/", message.body)
    ]


def deux_jeunes_du_meme_groupe(cast):
    """Two young people of lycée A in the same group (the same action of the offer, the same slots, the same référent
    and counsellor), each with their own PFMP, tuteur and appointment: what one link shows, the other must not."""
    import uuid

    from django.utils import timezone

    from parcours.models import Action, Creneau, OffreAction
    from tests.entretiens.factories import EntretienFactory
    from tests.parcours.factories import PFMPFactory

    offre = OffreAction.objects.create(type="tre", intitule="Atelier CV collectif", etablissement=cast.lycee_a)
    jeunes = []
    for nom, entreprise, tuteur, bureau in (
        ("DUPONT", "Garage des Lilas", "Mme Tutrice-Lilas", "Bureau 12"),
        ("MARTIN", "Boulangerie Martin-Secret", "M. Tuteur-Secret", "Bureau 34"),
    ):
        i = InscriptionFactory(
            jeune=JeuneFactory(etablissement=cast.lycee_a, nom=nom, prenoms="Lou"),
            campagne=cast.campagne,
            referent=cast.referent_a,
            conseiller=cast.conseiller_a,
            statut="en_cours",
            jeton_ics=uuid.uuid4(),
        )
        action = Action.objects.create(
            inscription=i,
            offre=offre,
            type="tre",
            intitule="Atelier CV collectif",
            date_debut=datetime.date(2026, 11, 2),
            date_fin=datetime.date(2026, 12, 18),
        )
        Creneau.objects.create(action=action, jour=1, heure_debut=datetime.time(9), heure_fin=datetime.time(12))
        PFMPFactory(
            inscription=i,
            entreprise=entreprise,
            tuteur_nom=tuteur,
            tuteur_telephone="0102030405",
            date_debut=datetime.date(2026, 12, 7),
            date_fin=datetime.date(2026, 12, 18),
        )
        EntretienFactory(
            jeune=i.jeune,
            campagne=cast.campagne,
            type="suivi",
            statut="planifie",
            lieu=bureau,
            date=timezone.now() + datetime.timedelta(days=3),
        )
        jeunes.append(i)
    return jeunes

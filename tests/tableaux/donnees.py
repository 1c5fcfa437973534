"""Builders of dashboard data: n young people of lycée A at every stage, followed by referent_a and conseiller_a."""

import datetime

from django.utils import timezone

from entretiens.models import Invitation
from parcours.models import PFMP, Action, Creneau, PointSuivi, Presence
from tests.eleves.factories import JeuneFactory, ReperageFactory
from tests.entretiens.factories import EntretienFactory, InvitationFactory, ReunionFactory
from tests.parcours.factories import InscriptionFactory


def lundi_courant():
    jour = timezone.localdate()
    return jour - datetime.timedelta(days=jour.weekday())


DEFAUT = object()


def peupler(cast, n, *, lycee=None, referent=DEFAUT, conseiller=DEFAUT, reunion=None):
    lycee = lycee or cast.lycee_a
    referent = cast.referent_a if referent is DEFAUT else referent
    conseiller = cast.conseiller_a if conseiller is DEFAUT else conseiller
    jour = timezone.localdate()
    lundi = lundi_courant()
    reunion = reunion or ReunionFactory(etablissement=lycee, campagne=cast.campagne, mission_locale=cast.ml_a)
    inscriptions = []
    for _ in range(n):
        jeune = JeuneFactory(etablissement=lycee)
        ReperageFactory(jeune=jeune, campagne=cast.campagne, statut_contact="contacte")
        InvitationFactory(reunion=reunion, jeune=jeune, presence=Invitation.Presence.PRESENT)
        entretien = EntretienFactory(
            jeune=jeune, campagne=cast.campagne, date=timezone.now() + datetime.timedelta(days=2), auteur=conseiller
        )
        entretien.participants.add(conseiller)
        inscription = InscriptionFactory(
            jeune=jeune,
            campagne=cast.campagne,
            referent=referent,
            conseiller=conseiller,
            statut="en_cours",
            date_entree=jour - datetime.timedelta(days=60),
            date_fin_prevue=jour + datetime.timedelta(days=10),
        )
        action = Action.objects.create(
            inscription=inscription,
            type="tre",
            intitule="Atelier CV",
            date_debut=lundi - datetime.timedelta(days=14),
            date_fin=lundi + datetime.timedelta(days=30),
        )
        Creneau.objects.create(action=action, jour=0, heure_debut=datetime.time(9), heure_fin=datetime.time(12))
        Creneau.objects.create(action=action, jour=2, heure_debut=datetime.time(14), heure_fin=datetime.time(16))
        Presence.objects.create(inscription=inscription, date=lundi, periode="matin", statut="absent_non_justifie")
        PointSuivi.objects.create(
            inscription=inscription,
            date=jour - datetime.timedelta(days=3),
            contenu="Point",
            prochaine_date=jour + datetime.timedelta(days=4),
            auteur=referent,
        )
        PFMP.objects.create(
            inscription=inscription,
            entreprise="Garage",
            date_debut=lundi,
            date_fin=lundi + datetime.timedelta(days=4),
            depassement_signale=True,
        )
        inscriptions.append(inscription)
    return inscriptions

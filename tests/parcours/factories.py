import datetime

import factory
from factory.django import DjangoModelFactory

from parcours.models import PFMP, Action, Inscription, OffreAction
from parcours.regles import date_limite, mef_pour_diplome
from tests.avenirpro.factories import CampagneFactory
from tests.eleves.factories import JeuneFactory


def _mef(o):
    """R2 through the rule: the diploma of the young person's repérage for the campaign, else `diplome`."""
    reperage = o.jeune.reperages.filter(campagne=o.campagne).first() if o.jeune.pk else None
    return mef_pour_diplome(reperage.diplome if reperage else o.diplome)


class InscriptionFactory(DjangoModelFactory):
    class Meta:
        model = Inscription

    class Params:
        diplome = "cap"

    jeune = factory.SubFactory(JeuneFactory)
    campagne = factory.SubFactory(CampagneFactory)
    etablissement = factory.LazyAttribute(lambda o: o.jeune.etablissement)
    mef = factory.LazyAttribute(_mef)
    date_entree = datetime.date(2026, 9, 14)
    date_fin_prevue = factory.LazyAttribute(lambda o: date_limite(o.campagne, o.date_entree))


class ActionFactory(DjangoModelFactory):
    class Meta:
        model = Action

    inscription = factory.SubFactory(InscriptionFactory)
    type = "tre"
    intitule = factory.Sequence(lambda n: f"Atelier n°{n}")
    date_debut = factory.LazyAttribute(lambda o: o.inscription.date_entree)
    date_fin = factory.LazyAttribute(lambda o: o.inscription.date_entree + datetime.timedelta(days=27))
    heures_hebdo = 6


class PFMPFactory(DjangoModelFactory):
    class Meta:
        model = PFMP

    inscription = factory.SubFactory(InscriptionFactory)
    entreprise = factory.Sequence(lambda n: f"Entreprise n°{n}")
    siret = "73282932000074"
    date_debut = datetime.date(2026, 11, 2)
    date_fin = datetime.date(2026, 11, 13)


class OffreActionFactory(DjangoModelFactory):
    class Meta:
        model = OffreAction

    type = "tre"
    intitule = factory.Sequence(lambda n: f"Offre n°{n}")

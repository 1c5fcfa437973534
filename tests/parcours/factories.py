import datetime

import factory
from factory.django import DjangoModelFactory

from parcours.models import Inscription
from tests.avenirpro.factories import CampagneFactory
from tests.eleves.factories import JeuneFactory


class InscriptionFactory(DjangoModelFactory):
    class Meta:
        model = Inscription

    jeune = factory.SubFactory(JeuneFactory)
    campagne = factory.SubFactory(CampagneFactory)
    etablissement = factory.LazyAttribute(lambda o: o.jeune.etablissement)
    mef = Inscription.Mef.NIVEAU3
    date_entree = datetime.date(2026, 9, 14)
    date_fin_prevue = datetime.date(2027, 1, 13)

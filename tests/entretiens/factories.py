import datetime

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from entretiens.models import Entretien, Invitation, Reunion
from tests.avenirpro.factories import CampagneFactory, EtablissementFactory
from tests.eleves.factories import JeuneFactory


class ReunionFactory(DjangoModelFactory):
    class Meta:
        model = Reunion

    campagne = factory.SubFactory(CampagneFactory)
    etablissement = factory.SubFactory(EtablissementFactory)
    debut = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=7))
    lieu = "Salle polyvalente"


class InvitationFactory(DjangoModelFactory):
    class Meta:
        model = Invitation

    reunion = factory.SubFactory(ReunionFactory)
    jeune = factory.SubFactory(JeuneFactory)


class EntretienFactory(DjangoModelFactory):
    class Meta:
        model = Entretien

    jeune = factory.SubFactory(JeuneFactory)
    campagne = factory.SubFactory(CampagneFactory)
    type = Entretien.Type.ENTREE
    date = factory.LazyFunction(timezone.now)

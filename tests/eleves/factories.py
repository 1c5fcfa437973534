import datetime

import factory
from factory.django import DjangoModelFactory

from eleves.models import Contact, Jeune, Reperage
from tests.avenirpro.factories import CampagneFactory, EtablissementFactory


class JeuneFactory(DjangoModelFactory):
    class Meta:
        model = Jeune

    ine = factory.Sequence(lambda n: f"{n:09d}AB")
    nom = factory.Faker("last_name", locale="fr_FR")
    prenoms = factory.Faker("first_name", locale="fr_FR")
    date_naissance = datetime.date(2007, 5, 12)
    sexe = "F"
    etablissement = factory.SubFactory(EtablissementFactory)


class ReperageFactory(DjangoModelFactory):
    class Meta:
        model = Reperage

    jeune = factory.SubFactory(JeuneFactory)
    campagne = factory.SubFactory(CampagneFactory)
    diplome = "cap"
    specialite = "Cuisine"
    division = "TCAP1"
    resultat = "admis"
    parcoursup = "aucune"
    situation_rentree = "sans_solution"
    typologie = "diplome_sans_parcoursup"
    # R1: the young person confirmed their wish (written commitment), so that enrolment is possible.
    engagement_ecrit_le = datetime.date(2026, 9, 7)
    engagement_ecrit_motif = "Engagement signé remis au lycée"


class ContactFactory(DjangoModelFactory):
    class Meta:
        model = Contact

    jeune = factory.SubFactory(JeuneFactory)
    campagne = factory.SubFactory(CampagneFactory)
    canal = "telephone"
    issue = "joint"

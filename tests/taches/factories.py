import datetime

from django.utils import timezone

from avenirpro.models import Role
from tests.avenirpro.factories import CampagneFactory, EtablissementFactory, MissionLocaleFactory, avec_role
from tests.parcours.factories import InscriptionFactory


class Lycee:
    """A lycée with its chef, a référent and a counsellor, and a helper to enrol young people relative to today."""

    def __init__(self, n: int = 0):
        self.lycee = EtablissementFactory()
        self.campagne = CampagneFactory()
        self.chef = avec_role(Role.CHEF, etablissement=self.lycee, email=f"chef{n}.{self.lycee.pk}@test.fr")
        self.referent = avec_role(Role.REFERENT, etablissement=self.lycee, email=f"ref{n}.{self.lycee.pk}@test.fr")
        self.conseiller = avec_role(
            Role.CONSEILLER_ML, mission_locale=MissionLocaleFactory(), email=f"cml{n}.{self.lycee.pk}@test.fr"
        )

    def parcours(self, *, fin_dans: int, duree: int = 120, statut: str = "en_cours", **kwargs):
        fin = timezone.localdate() + datetime.timedelta(days=fin_dans)
        kwargs.setdefault("jeune__etablissement", self.lycee)
        kwargs.setdefault("referent", self.referent)
        kwargs.setdefault("conseiller", self.conseiller)
        return InscriptionFactory(
            campagne=self.campagne,
            statut=statut,
            date_entree=fin - datetime.timedelta(days=duree),
            date_fin_prevue=fin,
            **kwargs,
        )

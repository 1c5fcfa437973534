"""Demo data for `make run`: two fictitious lycées, a mission locale, a cohort and one account per role.

Idempotent: a second run changes nothing and prints the same logins.
"""

import datetime
import random

from django.core.management.base import BaseCommand
from django.db import transaction

from avenirpro.models import Affectation, Campagne, Couverture, Etablissement, MissionLocale, Role, Utilisateur
from avenirpro.validators import lettre_cle_uai

MOT_DE_PASSE = "Demo-AvenirPro+2026"

NOMS = [
    "Martin",
    "Bernard",
    "Thomas",
    "Petit",
    "Robert",
    "Richard",
    "Durand",
    "Dubois",
    "Moreau",
    "Laurent",
    "Simon",
    "Michel",
    "Lefèvre",
    "Leroy",
    "Roux",
    "David",
    "Bertrand",
    "Morel",
    "Fournier",
    "Girard",
    "Bonnet",
    "Dupont",
    "Lambert",
    "Fontaine",
    "Rousseau",
    "Vincent",
    "Müller",
    "Lefebvre",
    "Faure",
    "André",
]
PRENOMS = [
    "Léa",
    "Hugo",
    "Chloé",
    "Lucas",
    "Inès",
    "Nathan",
    "Manon",
    "Enzo",
    "Camille",
    "Louis",
    "Sarah",
    "Yanis",
    "Jade",
    "Noah",
    "Emma",
    "Adam",
    "Zoé",
    "Rayan",
    "Lina",
    "Théo",
    "Maëlys",
    "Kylian",
]
SPECIALITES = {
    "cap": ["Cuisine", "Électricien", "Maçon", "Équipier polyvalent du commerce", "Coiffure"],
    "bac_pro": [
        "Métiers de l'électricité",
        "Commerce",
        "Logistique",
        "Cuisine",
        "Accompagnement, soins et services à la personne",
    ],
    "bma": ["Ébéniste"],
    "dtms": ["Techniques du spectacle"],
}


def uai(chiffres: str) -> str:
    return chiffres + lettre_cle_uai(chiffres)


class Command(BaseCommand):
    help = "Charge les données de démonstration (idempotent) et affiche les comptes."

    def add_arguments(self, parser):
        parser.add_argument("--jeunes", type=int, default=40, help="Jeunes repérés par lycée.")

    @transaction.atomic
    def handle(self, *args, jeunes, **options):
        campagne, _ = Campagne.objects.get_or_create(
            session=2026,
            defaults={
                "nom": "Session 2026 – rentrée 2026",
                "date_rentree": datetime.date(2026, 9, 1),
                "date_entree_min": datetime.date(2026, 9, 1),
            },
        )
        lycee1, cree = Etablissement.objects.get_or_create(
            uai=uai("0699901"),
            defaults={
                "nom": "Lycée professionnel Jean-Jaurès (démo)",
                "commune": "Villeurbanne",
                "departement": "69",
                "academie": "Lyon",
                "bassin": "Lyon Est",
                "reseau": "Réseau Lyon Est",
                "zone_vacances": "A",
            },
        )
        lycee2, _ = Etablissement.objects.get_or_create(
            uai=uai("0699902"),
            defaults={
                "nom": "Lycée des métiers Marie-Curie (démo)",
                "commune": "Vénissieux",
                "departement": "69",
                "academie": "Lyon",
                "bassin": "Lyon Est",
                "reseau": "Réseau Lyon Est",
                "zone_vacances": "A",
            },
        )
        ml, _ = MissionLocale.objects.get_or_create(
            nom="Mission locale Rhône Est (démo)",
            defaults={"email": "contact@ml-rhone-est.example", "telephone": "04 00 00 00 00", "departement": "69"},
        )
        for lycee in (lycee1, lycee2):
            Couverture.objects.get_or_create(mission_locale=ml, etablissement=lycee)

        comptes = [
            (
                "chef@demo.avenirpro.fr",
                "Claire",
                "Proviseure",
                dict(role=Role.CHEF, etablissement=lycee1, fonction="proviseur"),
            ),
            (
                "referent@demo.avenirpro.fr",
                "Rémi",
                "Professeur",
                dict(role=Role.REFERENT, etablissement=lycee1, date_volontariat=datetime.date(2026, 6, 15)),
            ),
            ("conseiller@demo.avenirpro.fr", "Nadia", "Conseillère", dict(role=Role.CONSEILLER_ML, mission_locale=ml)),
            (
                "directrice-ml@demo.avenirpro.fr",
                "Sophie",
                "Directrice",
                dict(role=Role.CONSEILLER_ML, mission_locale=ml, responsable=True),
            ),
            ("psy@demo.avenirpro.fr", "Paul", "Psy-EN", dict(role=Role.PSY_EN, etablissement=lycee1)),
            ("mlds@demo.avenirpro.fr", "Mona", "Coordonnatrice", dict(role=Role.MLDS, etablissement=lycee1)),
            (
                "pilotage@demo.avenirpro.fr",
                "Pierre",
                "Rectorat",
                dict(role=Role.PILOTAGE, niveau="academie", perimetre="Lyon"),
            ),
            ("admin@demo.avenirpro.fr", "Alice", "Administratrice", dict(role=Role.ADMIN)),
        ]
        users = {}
        for email, prenom, nom, aff in comptes:
            user = Utilisateur.objects.filter(email=email).first()
            if user is None:
                user = Utilisateur.objects.create_user(
                    email,
                    MOT_DE_PASSE,
                    first_name=prenom,
                    last_name=nom,
                    is_staff=aff["role"] == Role.ADMIN,
                    is_superuser=aff["role"] == Role.ADMIN,
                )
                Affectation.objects.create(utilisateur=user, **aff)
            users[aff["role"]] = user

        if cree:
            self._cohorte(campagne, [lycee1, lycee2], jeunes, users)

        from avenirpro.demo import completer_demo

        completer_demo(campagne=campagne, lycees=[lycee1, lycee2], mission_locale=ml, users=users, creer=cree)
        from avenirpro.ressources import creer_ressources_de_reference

        creer_ressources_de_reference()

        self.stdout.write(self.style.SUCCESS("Données de démonstration prêtes."))
        self.stdout.write(f"Comptes de démonstration (mot de passe commun : {MOT_DE_PASSE}) :")
        for email, _, _, aff in comptes:
            self.stdout.write(f"  {Role(aff['role']).label:<40} {email}")

    def _cohorte(self, campagne, lycees, n, users):
        from eleves.models import Jeune, Reperage
        from eleves.typologie import typologie_calculee

        rnd = random.Random(2026)
        for li, lycee in enumerate(lycees):
            for i in range(n):
                diplome = rnd.choices(["cap", "bac_pro", "bma", "dtms"], weights=[45, 50, 3, 2])[0]
                jeune = Jeune.objects.create(
                    ine=f"{li + 1:01d}{i:04d}DEMO{li:01d}X",
                    nom=rnd.choice(NOMS).upper(),
                    prenoms=rnd.choice(PRENOMS),
                    date_naissance=datetime.date(2007 + rnd.randint(0, 2), rnd.randint(1, 12), rnd.randint(1, 28)),
                    sexe=rnd.choice("MF"),
                    telephone=f"06 {rnd.randint(10, 99)} {rnd.randint(10, 99)} {rnd.randint(10, 99)} {rnd.randint(10, 99)}",
                    email=f"jeune{li}{i}@exemple.fr",
                    boursier=rnd.random() < 0.4,
                    etablissement=lycee,
                )
                resultat = rnd.choices(["admis", "ajourne", "absent"], weights=[60, 35, 5])[0]
                parcoursup = rnd.choice(["aucune", "non_candidat", "acceptee"])
                situation = rnd.choices(["sans_solution", "inconnue", "emploi"], weights=[60, 30, 10])[0]
                souhaite = resultat != "admis" and rnd.random() < 0.3
                r = Reperage(
                    jeune=jeune,
                    campagne=campagne,
                    diplome=diplome,
                    specialite=rnd.choice(SPECIALITES[diplome]),
                    division=f"T{diplome.upper()[:3]}{rnd.randint(1, 3)}",
                    resultat=resultat,
                    parcoursup=parcoursup,
                    situation_rentree=situation,
                    souhaite_repreparer=souhaite,
                )
                r.typologie = typologie_calculee(r)
                r.save()

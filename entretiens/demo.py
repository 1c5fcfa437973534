"""Demo data for steps 3 and 4: a meeting with invitations and attendance, interviews, slots (idempotent)."""

import datetime

from django.utils import timezone

from avenirpro.models import Role


def completer(*, campagne, lycees, mission_locale, users, creer):
    from eleves.models import Jeune
    from entretiens.models import CreneauEntretien, Entretien, Frein, Invitation, Reunion

    lycee = lycees[0]
    chef, conseiller, psy = users.get(Role.CHEF), users.get(Role.CONSEILLER_ML), users.get(Role.PSY_EN)
    debut = timezone.make_aware(
        datetime.datetime.combine(campagne.date_rentree + datetime.timedelta(days=9), datetime.time(14))
    )
    reunion, _ = Reunion.objects.get_or_create(
        campagne=campagne,
        etablissement=lycee,
        lieu="Salle polyvalente (bâtiment B)",
        defaults={
            "mission_locale": mission_locale,
            "debut": debut,
            "capacite": 40,
            "intervenants": "Nadia Conseillère",
            "cree_par": chef,
        },
    )
    jeunes = list(
        Jeune.objects.filter(
            etablissement=lycee, reperages__campagne=campagne, reperages__statut_contact="a_contacter"
        ).order_by("nom", "prenoms")[:12]
    )
    presences = ["present", "present", "present", "excuse", "absent", "present"]
    for i, jeune in enumerate(jeunes):
        Invitation.objects.get_or_create(
            reunion=reunion, jeune=jeune, defaults={"presence": presences[i % len(presences)]}
        )
    for i, jeune in enumerate(jeunes[:4]):
        if Entretien.objects.filter(jeune=jeune, campagne=campagne).exists():
            continue
        e = Entretien.objects.create(
            jeune=jeune,
            campagne=campagne,
            type=Entretien.Type.ENTREE,
            date=debut + datetime.timedelta(days=3 + i, hours=-4),
            lieu="Bureau de la CPE",
            auteur=conseiller,
            situation="Sans emploi ni formation depuis la fin de l'année scolaire.",
            projet=[Entretien.Projet.APPRENTISSAGE, Entretien.Projet.EMPLOI, Entretien.Projet.FORMATION, ""][i],
            projet_detail="Cherche un employeur dans sa spécialité.",
            freins=[[Frein.MOBILITE], [Frein.LOGEMENT, Frein.RESSOURCES], [], [Frein.ADMINISTRATIF]][i],
            besoins="Ateliers de techniques de recherche d'emploi.",
            aides="Aide à la mobilité de la mission locale.",
            france_travail_declare=i % 2 == 0,
            france_travail_verifie=i == 0,
            decision=[
                Entretien.Decision.ENTREE_CONFIRMEE,
                Entretien.Decision.ENTREE_CONFIRMEE,
                Entretien.Decision.AUTRE_SOLUTION,
                Entretien.Decision.SANS_SUITE,
            ][i],
            prochaine_etape="Inscription dans le dispositif." if i < 2 else "",
            sante="Suivi médical en cours (démo)." if i == 1 else "",
        )
        e.participants.set([u for u in (chef, conseiller, psy) if u])
    if not CreneauEntretien.objects.filter(etablissement=lycee).exists():
        base = timezone.make_aware(
            datetime.datetime.combine(timezone.localdate() + datetime.timedelta(days=3), datetime.time(9))
        )
        for h in range(3):
            CreneauEntretien.objects.create(
                etablissement=lycee,
                debut=base + datetime.timedelta(hours=h),
                duree_minutes=45,
                lieu="Bureau de la mission locale au lycée",
                propose_par=conseiller,
            )

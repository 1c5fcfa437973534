"""Demo data of the parcours: a few enrolments for the demo référent and counsellor, with actions, a PFMP, a
timetable, attendance and a local offer. Idempotent: nothing is created twice."""

import datetime

from django.utils import timezone

from avenirpro.models import Role
from parcours import services
from parcours.models import PFMP, Action, Inscription, OffreAction, PointSuivi

D = datetime.date

OFFRE = [
    ("tre", "Atelier CV et lettre de motivation", "lycee", "Salle B12", 4, 12),
    ("cps", "Estime de soi et prise de parole", "psad", "CIO Lyon Est", 3, 10),
    ("atelier_ml", "Atelier « Découverte des métiers »", "mission_locale", "Mission locale Rhône Est", 6, 15),
    ("consolidation", "Remise à niveau en mathématiques", "lycee", "Salle A03", 4, 8),
]


def completer(*, campagne, lycees, mission_locale, users, creer):
    from avenirpro.models import Utilisateur

    referent = users.get(Role.REFERENT)
    # users maps a role to one account; the demo counsellor is the one who is not the mission locale's director
    conseiller = Utilisateur.objects.filter(email="conseiller@demo.avenirpro.fr").first() or users.get(
        Role.CONSEILLER_ML
    )
    lycee = lycees[0]
    for type_, intitule, type_lieu, lieu, heures, capacite in OFFRE:
        OffreAction.objects.get_or_create(
            intitule=intitule,
            defaults={
                "type": type_,
                "etablissement": lycee,
                "type_lieu": type_lieu,
                "lieu": lieu,
                "date_debut": D(2026, 9, 14),
                "date_fin": D(2026, 12, 18),
                "heures_hebdo": heures,
                "capacite": capacite,
                "contact": "Rémi Professeur",
            },
        )
    if referent is None:
        return
    from eleves.models import Contact, Reperage
    from eleves.services import enregistrer_engagement, enregistrer_reinscription
    from parcours.volontariat import verifier_volontariat

    chef = users.get(Role.CHEF)
    refus = Contact.objects.filter(campagne=campagne, issue=Contact.Issue.REFUS).values("jeune_id")
    sans_solution = (
        campagne.reperages.filter(jeune__etablissement=lycee).exclude(jeune_id__in=refus).select_related("jeune")
    )
    reperages = [
        *sans_solution.filter(
            resultat="admis", typologie__in=["diplome_sans_parcoursup", "diplome_sans_solution"]
        ).order_by("jeune__ine")[:3],
        # R9: a failed candidate enters only after declining the re-enrolment offered first.
        *sans_solution.filter(resultat="ajourne", typologie="echec_accompagnement").order_by("jeune__ine")[:1],
    ]
    offres = {o.intitule: o for o in OffreAction.objects.filter(etablissement=lycee)}
    for n, reperage in enumerate(reperages):
        jeune = reperage.jeune
        if Inscription.objects.filter(jeune=jeune, campagne=campagne).exists():
            continue
        if reperage.est_echec and not reperage.reinscription_proposee_le and chef:
            enregistrer_reinscription(
                auteur=chef,
                reperage=reperage,
                proposee_le=min(D(campagne.session, 7, 8), timezone.localdate()),
                canal="rendez_vous",
                reponse=Reperage.ReponseReinscription.REFUSEE,
                motif=Reperage.MotifReinscription.PROJET,
                precisions="Souhaite travailler dès la rentrée plutôt que redoubler.",
            )
        # R1: the wish is confirmed before enrolment: the interview «entrée confirmée» when there was one, the
        # written commitment recorded by the chef otherwise.
        if chef and not verifier_volontariat(reperage)[0]:
            enregistrer_engagement(
                auteur=chef,
                reperage=reperage,
                date=min(D(campagne.session, 9, 10), timezone.localdate()),
                precisions="Engagement signé remis à l'issue de la réunion d'information (démonstration).",
            )
        inscription = services.inscrire(
            jeune=jeune,
            campagne=campagne,
            date_entree=D(2026, 9, 14) + datetime.timedelta(days=7 * n),
            referent=referent,
            conseiller=conseiller,
            numero_imilo=f"{n + 1:07d}",
            statut=Inscription.Statut.EN_COURS if n < 3 else Inscription.Statut.EN_PREPARATION,
        )
        if n >= 3:
            continue
        debut = inscription.date_entree
        for offre in (
            offres.get("Atelier CV et lettre de motivation"),
            offres.get("Estime de soi et prise de parole"),
        ):
            if offre is None:
                continue
            action = services.enregistrer_action(
                inscription=inscription,
                action=Action(
                    offre=offre,
                    type=offre.type,
                    intitule=offre.intitule,
                    type_lieu=offre.type_lieu,
                    lieu=offre.lieu,
                    date_debut=debut,
                    date_fin=debut + datetime.timedelta(days=39),
                    heures_hebdo=offre.heures_hebdo,
                    statut=Action.Statut.EN_COURS,
                ),
            )
            action.creneaux.create(jour=0 if offre.type == "tre" else 2, heure_debut="09:00", heure_fin="12:00")
        pfmp = services.enregistrer_pfmp(
            inscription=inscription,
            pfmp=PFMP(
                entreprise="Boulangerie des Gratte-Ciel",
                siret="73282932000074",
                adresse="12 avenue Henri Barbusse, 69100 Villeurbanne",
                tuteur_nom="M. Garnier",
                tuteur_telephone="04 78 00 00 00",
                signataires="Le proviseur, l'entreprise, le jeune, le responsable légal",
                date_debut=D(2026, 11, 2),
                date_fin=D(2026, 11, 13),
                activites="Fabrication, vente au comptoir",
            ),
        )
        # R18: «convention signée» once its signed copy is deposited (a one-page PDF stands for the scan).
        from parcours.extensions import AVANT_SIGNATURE_DEMO

        for preparer in AVANT_SIGNATURE_DEMO:
            preparer(pfmp, user=referent)
        pfmp.convention_signee_le = D(2026, 10, 20)
        services.enregistrer_pfmp(inscription=inscription, pfmp=pfmp)
        lignes = []
        for i in range(10):
            jour = D(2026, 9, 28) + datetime.timedelta(days=i + (2 if i >= 5 else 0))
            for periode in ("matin", "apres_midi"):
                statut = "absent_non_justifie" if (i == 3 and periode == "matin" and n == 1) else "present"
                lignes.append({"date": jour, "periode": periode, "statut": statut, "motif": ""})
        for i in range(5):
            jour = D(2026, 11, 2) + datetime.timedelta(days=i)
            if jour == D(2026, 11, 11):
                continue
            for periode in ("matin", "apres_midi"):
                lignes.append({"date": jour, "periode": periode, "statut": "present", "motif": ""})
        lignes = [li for li in lignes if li["date"] >= inscription.date_entree]
        services.enregistrer_presences(inscription=inscription, lignes=lignes, user=referent)
        PointSuivi.objects.create(
            inscription=inscription,
            date=debut + datetime.timedelta(days=14),
            contenu="Premier point : le projet se précise, recherche de PFMP en boulangerie.",
            prochaine_date=debut + datetime.timedelta(days=28),
            auteur=referent,
        )

"""Screens of the repérage: import, worklist «Jeunes sans solution», young person's page, contacts, letters."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods, require_POST

from avenirpro import cache_ecrans
from avenirpro.acces import (
    etablissements_geres,
    perimetre,
    peut_contacter,
    peut_gerer_reperage,
    peut_modifier_jeune,
    peut_rechercher,
)
from avenirpro.campagnes import campagne_choisie
from avenirpro.html import format_html
from avenirpro.journal import journaliser
from avenirpro.models import JournalAcces
from avenirpro.pdf import rendre_pdf, reponse_pdf
from avenirpro.taches import envoyer
from avenirpro.templatetags.jeunes_tags import url_dossier
from eleves import extensions, services
from eleves.filters import champs_du_filtre
from eleves.forms import (
    ConfirmationForm,
    ContactForm,
    CorrespondanceForm,
    EngagementForm,
    ImportForm,
    JeuneForm,
    ReinscriptionForm,
    TypologieForm,
)
from eleves.importation import COLONNES, modele_csv
from eleves.models import Contact, ImportEleves, Jeune, Reperage
from eleves.selections import LIBELLES_LISTE, ListeCompilee, etablissements_du_chef, liste_filtree, suivis_filtres

PAR_PAGE = 50
SEUIL_INLINE = 200_000  # octets : au-delà, l'analyse et l'écriture passent par Celery


def _etablissements(request):
    return etablissements_du_chef(request.user)


def _liste_filtree(request):
    return liste_filtree(request.user, request.GET)


# --- Worklist (its exports: eleves/exports.py) -------------------------------------------------------------


_UUID_MODELE = UUID(int=0)


# A row of the worklist (templates/eleves/_liste.html), filled once per row by `format_html` rather than cell by cell
# by the template engine (14 variable lookups per row, 700 per page, were half of the page's rendering).
LIGNE_LISTE = """
          <tr>
            <td>
              <div class="fr-checkbox-group fr-checkbox-group--sm ap-choix">
                <input type="checkbox" name="jeunes" value="{uuid}" id="choix-{uuid}">
                <label class="fr-label" for="choix-{uuid}"><span class="fr-sr-only">Sélectionner {nom} {prenoms}</span></label>
              </div>
            </td>
            <td><a href="{lien}">{nom} {prenoms}</a></td>
            <td>{diplome} {specialite}</td>
            <td>{division}</td>
            <td>{resultat}</td>
            <td>{typologie}{reinscription}</td>
            <td><p class="fr-badge fr-badge--sm">{statut_contact}</p></td>
          </tr>
        """  # noqa: E501
BADGE_REINSCRIPTION = mark_safe(' <p class="fr-badge fr-badge--warning fr-badge--sm">Réinscription à proposer</p>')


def _preparer_lignes(reperages) -> None:
    """Each row's link, choice labels and HTML (`LIGNE_LISTE`), prepared once per page rather than resolved cell by
    cell in the template (a URL reverse and four choice lookups per row were a third of the page's time)."""
    modele = reverse("eleves:detail", args=[_UUID_MODELE])
    libelles = {champ: dict(Reperage._meta.get_field(champ).flatchoices) for champ in LIBELLES_LISTE}
    for r in reperages:
        r.lien = modele.replace(str(_UUID_MODELE), str(r.jeune.uuid))
        for champ in LIBELLES_LISTE:
            valeur = getattr(r, champ)
            setattr(r, f"libelle_{champ}", str(libelles[champ].get(valeur, valeur)))
        r.html = format_html(
            LIGNE_LISTE,
            uuid=r.jeune.uuid,
            nom=r.jeune.nom,
            prenoms=r.jeune.prenoms,
            lien=r.lien,
            diplome=r.libelle_diplome,
            specialite=r.specialite,
            division=r.division,
            resultat=r.libelle_resultat,
            typologie=r.libelle_typologie,
            reinscription=BADGE_REINSCRIPTION if r.reinscription_a_proposer else "",
            statut_contact=r.libelle_statut_contact,
        )


def liste(request):
    lycees = perimetre(request.user).chef
    if not lycees:
        raise PermissionDenied
    contenu = cache_ecrans.fragment(request, "eleves:liste", lycees, lambda: _contenu_liste(request))
    return render(request, "eleves/liste.html", {"titre": "Jeunes sans solution", "contenu": contenu})


def _contenu_liste(request) -> str:
    campagne, campagnes = campagne_choisie(request.GET)
    liste = ListeCompilee(request.user, request.GET, campagne, par_page=PAR_PAGE)
    montres, masques = liste.comptes()
    paginateur = Paginator(liste, PAR_PAGE)
    paginateur.count = montres  # counted with the hidden rows, in one query
    page = paginateur.get_page(request.GET.get("page"))
    for r in page.object_list:
        if r.campagne_id == getattr(campagne, "pk", None):
            r.campagne = campagne
    _preparer_lignes(page.object_list)
    params = request.GET.copy()
    params.pop("page", None)
    return render_to_string(
        "eleves/_liste.html",
        {
            "champs_filtre": champs_du_filtre(request.GET),
            "page": page,
            "campagne": campagne,
            "campagnes": campagnes,
            "params": params.urlencode(),
            "masques": masques,
            "params_masques": _avec(params, typologie=Reperage.Typologie.AVEC_SOLUTION),
        },
        request=request,
    )


# --- The counsellor's young people -------------------------------------------------------------------------


def suivis(request):
    qs, lycees, lycee, q = suivis_filtres(request.user, request.GET)
    page = Paginator(qs, PAR_PAGE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    for j in page.object_list:
        j.lien = url_dossier(j)
    # The columns of the apps above (latest invitation: entretiens; latest parcours: parcours).
    for colonnes in extensions.COLONNES_SUIVIS:
        colonnes.preparer(page.object_list, request.user)
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "eleves/suivis.html",
        {
            "titre": "Jeunes de la mission locale",
            "page": page,
            "lycees": lycees,
            "lycee": lycee,
            "q": q,
            "params": params.urlencode(),
        },
    )


def _avec(params, **valeurs) -> str:
    """The query string of `params` with some values replaced."""
    copie = params.copy()
    for cle, valeur in valeurs.items():
        copie[cle] = valeur
    return copie.urlencode()


# --- PDF ---------------------------------------------------------------------------------------------------


def lettre(request, uuid):
    """The information letter (summer and rentrée options) for one young person."""
    jeune = get_object_or_404(Jeune.objects.visibles_par(request.user).select_related("etablissement"), uuid=uuid)
    if not peut_contacter(request.user, jeune):
        raise Http404
    contenu = rendre_pdf("eleves/pdf/lettres.html", {"aujourdhui": timezone.localdate(), "jeunes": [jeune]})
    journaliser(request.user, JournalAcces.Action.PDF, jeune, 1)
    return reponse_pdf(contenu, f"lettre-{jeune.ine}.pdf")


def publipostage(request):
    """One letter per young person of the filtered list, in a single PDF."""
    filtre, _, _ = _liste_filtree(request)
    jeunes = [r.jeune for r in filtre.qs]
    contenu = rendre_pdf("eleves/pdf/lettres.html", {"aujourdhui": timezone.localdate(), "jeunes": jeunes})
    journaliser(request.user, JournalAcces.Action.PDF, "Publipostage : lettres d'information", len(jeunes))
    return reponse_pdf(contenu, "lettres-information.pdf")


# --- Young person's page -----------------------------------------------------------------------------------


def _jeune_detail_qs(user):
    return (
        Jeune.objects.visibles_par(user)
        .select_related("etablissement")
        .prefetch_related(
            Prefetch("reperages", queryset=Reperage.objects.select_related("campagne").order_by("-campagne__session")),
            Prefetch("contacts", queryset=Contact.objects.avec_auteur().select_related("campagne")),
            "unites_validees",
        )
    )


def detail(request, uuid):
    jeune = get_object_or_404(_jeune_detail_qs(request.user), uuid=uuid)
    reperages = list(jeune.reperages.all())
    historique = sorted(
        [
            *jeune.history.select_related("history_user").order_by("-history_date")[:20],
            *Reperage.history.filter(jeune_id=jeune.pk).select_related("history_user").order_by("-history_date")[:20],
            *Contact.history.filter(jeune_id=jeune.pk).select_related("history_user").order_by("-history_date")[:20],
        ],
        key=lambda h: h.history_date,
        reverse=True,
    )[:30]
    for h in historique:
        h.libelle = h.instance_type._meta.verbose_name
    journaliser(request.user, JournalAcces.Action.LECTURE, jeune, 1)
    gere = peut_modifier_jeune(request.user, jeune)
    reperage = reperages[0] if reperages else None
    contexte = {
        "titre": str(jeune),
        "jeune": jeune,
        "reperages": reperages,
        "reperage": reperage,
        "eligibilite": services.peut_entrer_avenirpro(reperage) if reperage else (False, ""),
        "contacts": jeune.contacts.all(),
        "historique": historique,
        "gere": gere,
        "champs_modifiables": services.champs_modifiables(request.user, jeune),
        "url_inscrire": "",  # the enrolment screen belongs to the parcours app (its extension gives the link)
        "contact_form": ContactForm(initial={"date": timezone.localtime()}) if gere else None,
        "typologie_form": TypologieForm(initial={"typologie": reperage.typologie}) if gere and reperage else None,
        "reinscription_form": ReinscriptionForm(initial=_initial_reinscription(reperage))
        if gere and reperage and reperage.est_echec else None,
        "engagement_form": EngagementForm(
            initial={"engagement_le": reperage.engagement_ecrit_le or timezone.localdate(),
                     "engagement_precisions": reperage.engagement_ecrit_motif}
        ) if gere and reperage else None,
    }  # fmt: skip
    # The rest of the file (interviews, parcours), read by each app above through its own visibility rule.
    for complement in extensions.CONTEXTE_DOSSIER:
        contexte.update(complement(request.user, jeune))
    return render(request, "eleves/detail.html", contexte)


def _reperage_gere(request, uuid):
    jeune = get_object_or_404(Jeune.objects.visibles_par(request.user), uuid=uuid)
    if not peut_modifier_jeune(request.user, jeune):
        raise Http404  # a record the user may read but not manage: not revealed as an action target
    reperage = jeune.reperages.select_related("campagne", "jeune").order_by("-campagne__session").first()
    if reperage is None:
        raise Http404
    return jeune, reperage


@require_http_methods(["GET", "POST"])
def contact(request, uuid):
    jeune, reperage = _reperage_gere(request, uuid)
    form = ContactForm(request.POST or None, initial={"date": timezone.localtime()})
    if request.method == "POST" and form.is_valid():
        try:
            services.enregistrer_contact(auteur=request.user, reperage=reperage, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Contact enregistré.")
            return redirect("eleves:detail", uuid=jeune.uuid)
    return render(request, "eleves/formulaire.html", {"titre": f"Contact avec {jeune}", "jeune": jeune, "form": form})


@require_http_methods(["GET", "POST"])
def typologie(request, uuid):
    jeune, reperage = _reperage_gere(request, uuid)
    form = TypologieForm(request.POST or None, initial={"typologie": reperage.typologie})
    if request.method == "POST" and form.is_valid():
        try:
            services.modifier_typologie(auteur=request.user, reperage=reperage, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Typologie modifiée.")
            return redirect("eleves:detail", uuid=jeune.uuid)
    return render(request, "eleves/formulaire.html", {"titre": f"Typologie de {jeune}", "jeune": jeune, "form": form})


@require_http_methods(["GET", "POST"])
def reinscription(request, uuid):
    """R9: the chef records the re-enrolment offer made to a failed candidate (date, channel, answer, reason)."""
    jeune, reperage = _reperage_gere(request, uuid)
    form = ReinscriptionForm(request.POST or None, initial=_initial_reinscription(reperage))
    if request.method == "POST" and form.is_valid():
        try:
            services.enregistrer_reinscription(auteur=request.user, reperage=reperage, **form.arguments_service())
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, "Proposition de réinscription enregistrée.")
            suite = request.POST.get("suite", "")
            if suite and url_has_allowed_host_and_scheme(suite, allowed_hosts={request.get_host()}):
                return redirect(suite)
            return redirect("eleves:detail", uuid=jeune.uuid)
    return render(
        request,
        "eleves/formulaire.html",
        {
            "titre": f"Réinscription (redoublement / MOREA) de {jeune}",
            "jeune": jeune,
            "form": form,
            "suite": request.GET.get("suite", "") or request.POST.get("suite", ""),
        },
    )


def _initial_reinscription(reperage):
    return {
        "proposee_le": reperage.reinscription_proposee_le or timezone.localdate(),
        "canal_proposition": reperage.reinscription_canal or "telephone",
        "reponse": reperage.reponse_reinscription or "en_attente",
        "motif_refus": reperage.reinscription_motif,
        "precisions_reponse": reperage.reinscription_precisions,
    }


@require_http_methods(["GET", "POST"])
def engagement(request, uuid):
    """R1: the chef records the young person's written commitment (how it was obtained is required)."""
    jeune, reperage = _reperage_gere(request, uuid)
    form = EngagementForm(
        request.POST or None,
        initial={
            "engagement_le": reperage.engagement_ecrit_le or timezone.localdate(),
            "engagement_precisions": reperage.engagement_ecrit_motif,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.enregistrer_engagement(
                auteur=request.user,
                reperage=reperage,
                date=form.cleaned_data["engagement_le"],
                precisions=form.cleaned_data["engagement_precisions"],
            )
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, "Engagement écrit enregistré.")
            return redirect("eleves:detail", uuid=jeune.uuid)
    return render(
        request, "eleves/formulaire.html", {"titre": f"Engagement écrit de {jeune}", "jeune": jeune, "form": form}
    )


@require_http_methods(["GET", "POST"])
def modifier(request, uuid):
    """Correct the young person's details (ADR 0017): the direction all of them, the référent and the counsellor of
    an open parcours the contact details."""
    jeune = get_object_or_404(Jeune.objects.visibles_par(request.user).select_related("etablissement"), uuid=uuid)
    champs = services.champs_modifiables(request.user, jeune)
    if not champs:
        raise Http404  # readable but not editable: not revealed as an action target (ADR 0002)
    form = JeuneForm(request.POST or None, instance=jeune, champs=champs)
    if request.method == "POST" and form.is_valid():
        donnees = {c: v for c, v in form.cleaned_data.items() if c != "motif"}
        try:
            changes = services.modifier_jeune(
                auteur=request.user, jeune=jeune, donnees=donnees, motif=form.cleaned_data.get("motif", "")
            )
        except ValidationError as exc:
            _erreurs_vers_form(form, exc)
        else:
            messages.success(
                request, "Dossier mis à jour." if changes else "Aucune modification : le dossier est inchangé."
            )
            return redirect("eleves:detail", uuid=jeune.uuid)
    return render(
        request,
        "eleves/modifier.html",
        {
            "titre": f"Modifier le dossier de {jeune}",
            "jeune": jeune,
            "form": form,
            "coordonnees_seules": "nom" not in champs,
        },
    )


def _erreurs_vers_form(form, exc: ValidationError) -> None:
    """Each message next to its field when the form shows it, at the top otherwise."""
    if hasattr(exc, "error_dict"):
        for champ, erreurs in exc.error_dict.items():
            form.add_error(champ if champ in form.fields else None, erreurs)
    else:
        form.add_error(None, exc)


# --- Import ------------------------------------------------------------------------------------------------


def modele(request):
    _etablissements(request)
    rep = HttpResponse(modele_csv(), content_type="text/csv; charset=utf-8")
    rep["Content-Disposition"] = 'attachment; filename="modele-import-eleves.csv"'
    return rep


@require_http_methods(["GET", "POST"])
def importer(request):
    etabs = _etablissements(request)
    form = ImportForm(request.POST or None, request.FILES or None, etablissements=etabs)
    if request.method == "POST" and form.is_valid():
        f = form.cleaned_data["fichier"]
        imp = ImportEleves.objects.create(
            etablissement=form.cleaned_data["etablissement"],
            campagne=form.cleaned_data["campagne"],
            auteur=request.user,
            nom_fichier=f.name[:255],
            contenu=f.read(),
        )
        if len(imp.contenu) <= SEUIL_INLINE:
            services.analyser_import(imp)
        else:
            from eleves.tasks import analyser_import_tache

            envoyer(analyser_import_tache, imp.pk)
        return redirect("eleves:import_detail", uuid=imp.uuid)
    derniers = ImportEleves.objects.filter(etablissement__in=etabs).select_related("campagne", "etablissement")[:10]
    return render(
        request,
        "eleves/import.html",
        {"titre": "Importer les résultats d'examen", "form": form, "colonnes": COLONNES, "derniers": derniers},
    )


def _import(request, uuid):
    imp = get_object_or_404(
        ImportEleves.objects.filter(etablissement__in=etablissements_geres(request.user)).select_related(
            "etablissement", "campagne"
        ),
        uuid=uuid,
    )
    if not peut_gerer_reperage(request.user, imp.etablissement):
        raise PermissionDenied
    return imp


def import_detail(request, uuid):
    imp = _import(request, uuid)
    return _rendu_import(request, imp)


def _form_colonnes(imp, data=None) -> CorrespondanceForm:
    apercu = imp.apercu or {}
    entetes = apercu.get("entetes", [])
    if apercu.get("correspondance_requise"):
        propositions = apercu.get("propositions", {})
    else:  # the mapping the preview was read with
        propositions = {c: entetes.index(e) for c, e in apercu.get("correspondance", {}).items() if e in entetes}
    return CorrespondanceForm(
        data, entetes=entetes, echantillons=apercu.get("echantillons", []), propositions=propositions
    )


def _rendu_import(request, imp, form_colonnes=None, status=200):
    apercu = imp.apercu or {}
    erreurs = apercu.get("erreurs", [])
    if form_colonnes is None and imp.statut == ImportEleves.Statut.PRET and apercu.get("entetes"):
        if apercu.get("correspondance_requise") or "colonnes" in request.GET:
            form_colonnes = _form_colonnes(imp)
    return render(
        request,
        "eleves/import_detail.html",
        {
            "titre": f"Import « {imp.nom_fichier} »",
            "imp": imp,
            "apercu": apercu,
            "erreurs": erreurs[:500],
            "erreurs_masquees": max(0, len(erreurs) - 500),
            "form": _confirmation(erreurs),
            "form_colonnes": form_colonnes,
            "colonnes_fichier": list(zip(apercu.get("entetes", []), apercu.get("echantillons", []), strict=False)),
        },
        status=status,
    )


@require_POST
def import_colonnes(request, uuid):
    """The mapping step (ADR 0022): saved for the lycée (next file with the same headers) and the file analysed
    again with it."""
    imp = _import(request, uuid)
    if imp.statut != ImportEleves.Statut.PRET or not (imp.apercu or {}).get("entetes"):
        messages.error(request, "Cet import n'attend pas de correspondance des colonnes.")
        return redirect("eleves:import_detail", uuid=imp.uuid)
    form = _form_colonnes(imp, request.POST)
    if not form.is_valid():
        return _rendu_import(request, imp, form_colonnes=form, status=422)
    correspondance = form.correspondance()
    pris = ImportEleves.objects.filter(pk=imp.pk, statut=ImportEleves.Statut.PRET).update(
        statut=ImportEleves.Statut.EN_ATTENTE, progression=0, correspondance=correspondance
    )
    if not pris:
        return redirect("eleves:import_detail", uuid=imp.uuid)
    services.enregistrer_correspondance(imp.etablissement, imp.apercu["entetes"], correspondance, auteur=request.user)
    imp.refresh_from_db()
    if len(imp.contenu) <= SEUIL_INLINE:
        services.analyser_import(imp)
    else:
        from eleves.tasks import analyser_import_tache

        envoyer(analyser_import_tache, imp.pk)
    messages.success(
        request,
        "Correspondance des colonnes enregistrée pour ce lycée : elle sera reprise pour les prochains fichiers "
        "aux mêmes en-têtes.",
    )
    return redirect("eleves:import_detail", uuid=imp.uuid)


def _confirmation(erreurs) -> ConfirmationForm:
    """With errors in the file, the box is what the confirmation needs: required (not marked «optionnel»)."""
    form = ConfirmationForm()
    form.fields["valides_seulement"].required = bool(erreurs)
    return form


def import_etat(request, uuid):
    imp = _import(request, uuid)
    return JsonResponse({"statut": imp.statut, "progression": imp.progression, "en_cours": imp.en_cours})


@require_POST
def import_confirmer(request, uuid):
    imp = _import(request, uuid)
    if imp.statut != ImportEleves.Statut.PRET:
        messages.error(request, "Cet import n'est pas prêt à être confirmé.")
        return redirect("eleves:import_detail", uuid=imp.uuid)
    form = ConfirmationForm(request.POST)
    form.is_valid()
    seulement = bool(form.cleaned_data.get("valides_seulement"))
    apercu = imp.apercu or {}
    if apercu.get("erreur_fichier"):
        messages.error(request, "Le fichier ne peut pas être lu : corrigez-le et déposez-le à nouveau.")
        return redirect("eleves:import_detail", uuid=imp.uuid)
    if apercu.get("erreurs") and not seulement:
        messages.error(
            request,
            "Le fichier contient des erreurs : corrigez-le, ou cochez la case pour n'importer que les lignes valides.",
        )
        return redirect("eleves:import_detail", uuid=imp.uuid)
    # Only one confirmation wins, even on a double click.
    pris = ImportEleves.objects.filter(pk=imp.pk, statut=ImportEleves.Statut.PRET).update(
        statut=ImportEleves.Statut.ECRITURE, valides_seulement=seulement, progression=1
    )
    if not pris:
        return redirect("eleves:import_detail", uuid=imp.uuid)
    imp.refresh_from_db()
    if len(imp.contenu) <= SEUIL_INLINE:
        services.ecrire_import(imp)
        if imp.statut == ImportEleves.Statut.TERMINE:
            messages.success(request, f"Import terminé : {imp.message}")
        else:
            messages.error(request, imp.message)
    else:
        from eleves.tasks import ecrire_import_tache

        envoyer(ecrire_import_tache, imp.pk)
    return redirect("eleves:import_detail", uuid=imp.uuid)


@require_POST
def import_abandonner(request, uuid):
    imp = _import(request, uuid)
    ImportEleves.objects.filter(pk=imp.pk, statut=ImportEleves.Statut.PRET).update(
        statut=ImportEleves.Statut.ABANDONNE
    )
    messages.info(request, "Import abandonné : rien n'a été écrit.")
    return redirect(reverse("eleves:importer"))


# --- Recherche (la boîte de l'en-tête) ------------------------------------------------------------------------


def recherche(request):
    from eleves.recherche import LIMITE, LONGUEUR_MIN, rechercher

    if not peut_rechercher(perimetre(request.user)):
        raise PermissionDenied
    texte = request.GET.get("q", "").strip()[:100]
    resultats = rechercher(request.user, texte) if texte else []
    for jeune in resultats:
        jeune.lien = reverse("eleves:detail", args=[jeune.uuid])
        for extension in extensions.RESULTATS_RECHERCHE:  # parcours: the links to the visible parcours
            extension.preparer(jeune)
    return render(
        request,
        "eleves/recherche.html",
        {
            "titre": f"Recherche : {texte}" if texte else "Rechercher un jeune",
            "texte": texte,
            "resultats": resultats,
            "limite": LIMITE,
            "trop_court": bool(texte) and not resultats and len(texte) < LONGUEUR_MIN,
        },
    )


# --- Actions groupées sur la liste de travail (eleves/lot.py) ---------------------------------------------------


ACTIONS_LOT = {
    "contact": "Enregistrer un contact pour chacun",
    "typologie": "Modifier la typologie",
}  # then those of the apps above (eleves.extensions.ACTIONS_LOT; parcours: the designation)


@require_http_methods(["GET", "POST"])
def lot(request):
    from eleves import lot as actions

    etablissements_du_chef(request.user)
    donnees = request.POST if request.method == "POST" else request.GET
    campagne, _ = campagne_choisie(donnees)
    try:
        reperages = actions.reperages_choisis(request.user, campagne, donnees.getlist("jeunes"))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(reverse("eleves:liste") + (f"?campagne={campagne.session}" if campagne else ""))
    lycees = sorted({r.jeune.etablissement_id for r in reperages})
    choisie = donnees.get("action") if request.method == "POST" else None
    formulaires = {
        "contact": ContactForm(
            request.POST if choisie == "contact" else None, initial={"date": timezone.localtime()}, prefix="contact"
        ),
        "typologie": TypologieForm(request.POST if choisie == "typologie" else None, prefix="typologie"),
    }
    services_lot = {"contact": actions.contact_groupe, "typologie": actions.typologie_groupee}
    libelles = dict(ACTIONS_LOT)
    for cle, action in extensions.ACTIONS_LOT.items():
        formulaires[cle] = action.formulaire(
            request.POST if choisie == cle else None, etablissements=lycees, prefix=cle
        )
        services_lot[cle] = action.service
        libelles[cle] = action.libelle
    if choisie in formulaires and formulaires[choisie].is_valid():
        form = formulaires[choisie]
        service = services_lot[choisie]
        try:
            n = service(auteur=request.user, reperages=reperages, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"{libelles[choisie]} : fait pour {n} jeune{'s' if n > 1 else ''}.")
            return redirect(reverse("eleves:liste") + f"?campagne={campagne.session}")
    return render(
        request,
        "eleves/lot.html",
        {
            "titre": f"Actions groupées ({len(reperages)} jeune{'s' if len(reperages) > 1 else ''})",
            "reperages": reperages,
            "campagne": campagne,
            "formulaires": [(cle, libelles[cle], f) for cle, f in formulaires.items()],
            "choisie": choisie,
        },
    )

"""The user's own notifications: the list (with the bell in the header), marking as read, e-mail preferences.

Every user sees only their own notifications: another user's notification is a 404.
"""

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST
from dsfr.forms import DsfrBaseForm

from avenirpro.filtres import valeurs
from avenirpro.models import Notification, Utilisateur
from notifications.filters import NotificationFilter

PAR_PAGE = 20


class PreferencesNotificationsForm(DsfrBaseForm, forms.ModelForm):
    IMMEDIAT = "immediat"
    RESUME = "resume"

    frequence = forms.ChoiceField(
        label="Envoi des notifications par courriel",
        choices=[
            (IMMEDIAT, "Immédiatement, un courriel par notification"),
            (RESUME, "Un résumé quotidien, chaque matin"),
        ],
        widget=forms.RadioSelect,
        help_text="Les notifications restent toujours visibles dans l'application (cloche en haut de page).",
    )

    class Meta:
        model = Utilisateur
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["frequence"].initial = self.RESUME if self.instance.notifications_en_resume else self.IMMEDIAT

    def save(self, commit=True):
        self.instance.notifications_en_resume = self.cleaned_data["frequence"] == self.RESUME
        if commit:
            self.instance.save(update_fields=["notifications_en_resume"])
        return self.instance


def _retour(request, defaut="notifications:liste"):
    suivant = request.POST.get("suivant", "")
    if suivant and url_has_allowed_host_and_scheme(suivant, {request.get_host()}, request.is_secure()):
        return redirect(suivant)
    return redirect(defaut)


def _dossiers_visibles(user, notifications):
    """Marks each notification whose young person the reader may still see (`n.dossier_visible`), in one query:
    a young person who left the reader's perimeter (or was erased) gets no link, never a 404."""
    from eleves.models import Jeune

    ids = {n.jeune_id for n in notifications if n.jeune_id}
    visibles = set(Jeune.objects.visibles_par(user).filter(pk__in=ids).values_list("pk", flat=True)) if ids else set()
    for n in notifications:
        n.dossier_visible = n.jeune_id in visibles


def liste(request):
    filtres = NotificationFilter(
        request.GET, queryset=Notification.objects.filter(destinataire=request.user).order_by("-cree_le", "-pk")
    )
    qs, filtre = filtres.qs, valeurs(filtres)["filtre"]
    page = Paginator(qs.select_related("jeune"), PAR_PAGE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    _dossiers_visibles(request.user, page.object_list)
    return render(
        request,
        "notifications/liste.html",
        {"titre": "Mes notifications", "page_obj": page, "filtre": filtre},
    )


@require_POST
def marquer_lue(request, uuid):
    notification = get_object_or_404(Notification.objects.filter(destinataire=request.user), uuid=uuid)
    if notification.lue_le is None:
        Notification.objects.filter(pk=notification.pk, lue_le__isnull=True).update(lue_le=timezone.now())
    if request.POST.get("ouvrir") and notification.lien:
        if url_has_allowed_host_and_scheme(notification.lien, {request.get_host()}, request.is_secure()):
            return redirect(notification.lien)
    messages.success(request, "Notification marquée comme lue.")
    return _retour(request)


@require_POST
def tout_marquer_lu(request):
    n = Notification.objects.filter(destinataire=request.user, lue_le__isnull=True).update(lue_le=timezone.now())
    messages.success(request, f"{n} notification(s) marquée(s) comme lue(s).")
    return _retour(request)


@require_http_methods(["GET", "POST"])
def preferences(request):
    form = PreferencesNotificationsForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Vos préférences de notification sont enregistrées.")
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"titre": "Préférences de notification", "form": form})

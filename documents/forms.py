from django import forms
from django.conf import settings
from dsfr.forms import DsfrBaseForm

from documents.models import PieceSignee


class DepotForm(DsfrBaseForm):
    """Upload of a signed copy: which document, for which PFMP, the file (checked by content by the service)."""

    type = forms.ChoiceField(label="Document signé", choices=PieceSignee.Type.choices)
    pfmp = forms.ChoiceField(
        label="Période en entreprise",
        required=False,
        help_text="Pour une convention ou une attestation.",
    )
    fichier = forms.FileField(
        label="Numérisation signée",
        error_messages={"required": "Choisissez le fichier à déposer.", "empty": "Le fichier est vide."},
    )

    def __init__(self, *args, pfmps=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.pfmps = {str(p.uuid): p for p in pfmps}
        self.fields["pfmp"].choices = [("", "—")] + [
            (str(p.uuid), f"{p.entreprise} (du {p.date_debut:%d/%m/%Y} au {p.date_fin:%d/%m/%Y})") for p in pfmps
        ]
        mo = settings.DOCUMENTS_TAILLE_MAX // (1024 * 1024)
        self.fields[
            "fichier"
        ].help_text = f"PDF, JPEG ou PNG, {mo} Mo au plus. Le contenu du fichier est vérifié, pas seulement son nom."
        self.fields["fichier"].widget.attrs["accept"] = "application/pdf,image/jpeg,image/png,.pdf,.jpg,.jpeg,.png"

    def clean(self):
        donnees = super().clean()
        if donnees.get("type") in PieceSignee.TYPES_PFMP and not donnees.get("pfmp"):
            self.add_error("pfmp", "Choisissez la période en entreprise de ce document.")
        donnees["pfmp_objet"] = self.pfmps.get(donnees.get("pfmp") or "")
        return donnees

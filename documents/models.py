"""Signed copies («pièces signées») of the parcours' documents: the scan of the PFMP convention, of the attendance
attestation and of the fiche d'engagement, uploaded once signed (ADR 0019).

The file itself lives in the «documents» storage (settings.STORAGES, file system or S3-compatible): the row keeps its
path in that storage, never a public URL. Downloads go through `documents.views.telecharger` (access-checked,
journaled)."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from eleves.models import Jeune
from parcours.models import PFMP, Inscription


class PieceQuerySet(models.QuerySet):
    def visibles_par(self, user):
        """The pieces of the parcours the user may read (the parcours' access rules, avenirpro.acces)."""
        from eleves.models import q_jeunes_visibles

        return self.filter(q_jeunes_visibles(user, prefix="jeune__"))


class PieceSignee(models.Model):
    """The signed scan of a document of the parcours (PDF, JPEG or PNG, checked by content)."""

    class Type(models.TextChoices):
        CONVENTION = "convention", "Convention de PFMP signée"
        ATTESTATION = "attestation", "Attestation de PFMP signée"
        ENGAGEMENT = "engagement", "Fiche d'engagement signée"

    TYPES_PFMP = (Type.CONVENTION, Type.ATTESTATION)

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    jeune = models.ForeignKey(Jeune, on_delete=models.CASCADE, related_name="pieces_signees")
    inscription = models.ForeignKey(Inscription, on_delete=models.CASCADE, related_name="pieces_signees")
    pfmp = models.ForeignKey(
        PFMP, on_delete=models.CASCADE, null=True, blank=True, related_name="pieces_signees", verbose_name="PFMP"
    )
    type = models.CharField("document", max_length=12, choices=Type.choices)
    # Path in the «documents» storage: «<parcours uuid>/<piece uuid>.<ext>», no name of a person.
    chemin = models.CharField("emplacement", max_length=255, editable=False)
    nom_fichier = models.CharField("nom du fichier déposé", max_length=200)
    type_contenu = models.CharField("format reconnu", max_length=50)
    taille = models.PositiveIntegerField("taille (octets)")
    empreinte = models.CharField("empreinte SHA-256", max_length=64)
    depose_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="déposé par",
    )
    depose_le = models.DateTimeField("déposé le", default=timezone.now)

    objects = PieceQuerySet.as_manager()

    class Meta:
        verbose_name = "pièce signée"
        verbose_name_plural = "pièces signées"
        ordering = ["-depose_le"]
        constraints = [
            # A convention or an attestation belongs to a PFMP; the fiche d'engagement to the parcours only.
            models.CheckConstraint(
                name="piece_pfmp_selon_type",
                condition=(Q(type__in=["convention", "attestation"], pfmp__isnull=False))
                | (Q(type="engagement") & Q(pfmp__isnull=True)),
            ),
        ]

    def __str__(self):
        return f"{self.get_type_display()} – {self.depose_le:%d/%m/%Y}"

    @property
    def extension(self) -> str:
        return {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}.get(self.type_contenu, "bin")

    @property
    def nom_telechargement(self) -> str:
        """A neutral file name (no name of a person in the URL nor in the browser's download list)."""
        return f"{self.type}-{self.depose_le:%Y%m%d}-{str(self.uuid)[:8]}.{self.extension}"

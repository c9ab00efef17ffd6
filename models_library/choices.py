from django.db import models
from django.utils.translation import gettext_lazy as _


class Stage(models.TextChoices):
    IN_DEVELOPMENT = "in_development", _("In development")
    PILOTING = "piloting", _("Piloting")
    IN_USE = "in_use", _("In use")
    ESTABLISHED = "established", _("Established")
    PAUSED = "paused", _("Paused")
    ENDED = "ended", _("Ended")


# A door or team that follows a model in one of these stages does not present the
# model's steps as "what happens next" (portal.pathways), and editors are warned.
INACTIVE_STAGES = (Stage.PAUSED, Stage.ENDED)


class EvidenceLevel(models.TextChoices):
    DESCRIBED = "described", _("Described")
    SELF_ASSESSED = "self_assessed", _("Self-assessed")
    PEER_REVIEWED = "peer_reviewed", _("Peer-reviewed")
    EVALUATED_WITH_INDICATORS = "evaluated_with_indicators", _("Evaluated with indicators")
    EFFECTIVENESS_STUDIED = "effectiveness_studied", _("Effectiveness studied")


class AdoptionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    PILOTING = "piloting", _("Piloting")
    IN_USE = "in_use", _("In use")
    ENDED = "ended", _("Ended")


class PersonKind(models.TextChoices):
    AUTHOR = "author", _("Author")
    CONTACT = "contact", _("Contact person")


class Relation(models.TextChoices):
    RELATED = "related", _("Related model")
    VARIANT_OF = "variant_of", _("Adaptation of")

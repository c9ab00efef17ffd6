"""Fixed choice lists of the directory. Values follow HSDS / PTV where they have one."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationType(models.TextChoices):
    MUNICIPALITY = "municipality", _("Municipality")
    WELLBEING_COUNTY = "wellbeing_county", _("Wellbeing services county")
    STATE = "state", _("State")
    NGO = "ngo", _("NGO or association")
    PARISH = "parish", _("Parish")
    EDUCATION_PROVIDER = "education_provider", _("Education provider")
    COMPANY = "company", _("Company")


class ServiceStatus(models.TextChoices):
    # HSDS 3.0 service.status values, spelled exactly as the standard spells them.
    ACTIVE = "active", _("Active")
    TEMPORARILY_CLOSED = "temporarily closed", _("Temporarily closed")
    INACTIVE = "inactive", _("Inactive")
    DEFUNCT = "defunct", _("Discontinued")


# Residents see active and temporarily closed services (the latter with a notice);
# inactive and discontinued ones stay in the admin and exports only.
PUBLIC_SERVICE_STATUSES = (ServiceStatus.ACTIVE, ServiceStatus.TEMPORARILY_CLOSED)


class Charge(models.TextChoices):
    FREE = "free", _("Free of charge")
    CHARGEABLE = "chargeable", _("Chargeable")


class ChannelKind(models.TextChoices):
    PHONE = "phone", _("Phone")
    EMAIL = "email", _("Email")
    WEB = "web", _("Web page")
    E_SERVICE = "eservice", _("E-service")
    CHAT = "chat", _("Chat")
    REMOTE = "remote", _("Remote appointment")


class CallCharge(models.TextChoices):
    FREE = "free", _("Free of charge")
    NETWORK = "network", _("Local or mobile network charge")
    SERVICE_NUMBER = "service_number", _("Service number charge")


class TeamType(models.TextChoices):
    AREA_TEAM = "area_team", _("Area team")
    FAMILY_CENTRE = "family_centre", _("Family centre")
    WELLBEING_STATION = "wellbeing_station", _("Wellbeing station")
    SOTE_PAIR = "sote_pair", _("Social and health care work pair")
    MULTIPROFESSIONAL = "multiprofessional_team", _("Multi-professional team")


class ContactRole(models.TextChoices):
    """What a professional contacts this person for (the roles of the seed operating models)."""

    RESPONSIBLE_WORKER = "responsible_worker", _("Named responsible worker")
    SERVICE_COORDINATOR = "service_coordinator", _("Service coordinator")
    CONSULTING_EXPERT = "consulting_expert", _("Consulting expert")
    NETWORK_CONTACT = "network_contact", _("Network contact person")
    SOTE_AGENT = "sote_agent", _("Social and health care agent")
    MANAGER = "manager", _("Manager")


class HoursMode(models.TextChoices):
    NOT_GIVEN = "", _("Not given")
    WEEKLY = "weekly", _("Weekly opening hours")
    ALWAYS_OPEN = "always_open", _("Always open")
    BY_APPOINTMENT = "by_appointment", _("By appointment only")

from .geography import Municipality, PostalCode, Region, WellbeingCounty
from .locations import Location, LocationHoursException, LocationWeeklyHours
from .organisations import Organisation, OrganisationEditor
from .pages import DirectoryIndexPage
from .people import ContactPerson
from .services import (
    Service,
    ServiceAtLocation,
    ServiceAtLocationHoursException,
    ServiceAtLocationWeeklyHours,
    ServiceChannel,
    ServiceChannelHoursException,
    ServiceChannelWeeklyHours,
)
from .teams import Team, TeamMember
from .vocabularies import Language, LifeSituation, Sector, ServiceClass, TargetGroup

__all__ = [
    "ContactPerson",
    "DirectoryIndexPage",
    "Language",
    "LifeSituation",
    "Location",
    "LocationHoursException",
    "LocationWeeklyHours",
    "Municipality",
    "Organisation",
    "OrganisationEditor",
    "PostalCode",
    "Region",
    "Sector",
    "Service",
    "ServiceAtLocation",
    "ServiceAtLocationHoursException",
    "ServiceAtLocationWeeklyHours",
    "ServiceChannel",
    "ServiceChannelHoursException",
    "ServiceChannelWeeklyHours",
    "ServiceClass",
    "TargetGroup",
    "Team",
    "TeamMember",
    "WellbeingCounty",
]

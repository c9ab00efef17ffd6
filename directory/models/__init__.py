from .geography import Municipality, PostalCode, Region, WellbeingCounty
from .vocabularies import LifeSituation, TargetGroup

__all__ = ["LifeSituation", "Municipality", "PostalCode", "Region", "TargetGroup", "WellbeingCounty"]

from .geography import Municipality, PostalCode, Region, WellbeingCounty

__all__ = ["Municipality", "PostalCode", "Region", "WellbeingCounty"]

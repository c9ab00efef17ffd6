from .navigation import Menu, MenuItem, SiteSettings
from .pages import HomePage, StandardPage

__all__ = ["HomePage", "StandardPage", "Menu", "MenuItem", "SiteSettings"]

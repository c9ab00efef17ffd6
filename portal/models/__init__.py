from .feedback import ErrorReport
from .navigation import Menu, MenuItem, SiteSettings
from .pages import HomePage, StandardPage
from .pathways import PathwayAlternative, PathwayIndexPage, PathwayPage, PathwayRight, PathwayStep

__all__ = [
    "ErrorReport",
    "HomePage",
    "Menu",
    "MenuItem",
    "PathwayAlternative",
    "PathwayIndexPage",
    "PathwayPage",
    "PathwayRight",
    "PathwayStep",
    "SiteSettings",
    "StandardPage",
]

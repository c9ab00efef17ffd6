import pytest

from portal.demo import load_site_shell


@pytest.fixture
def site_shell(db):
    """The demo site tree: fi/sv/en home pages, standard pages and menus."""
    return load_site_shell()

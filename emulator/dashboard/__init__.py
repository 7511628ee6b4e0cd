"""The web dashboard at ``/_emulator/ui``: state, journal, faults and settings of every namespace, in a browser.

Plain HTML, CSS and JavaScript shipped as package data (no build step, nothing fetched at run time). The page
reads the read-only JSON endpoints of this blueprint and calls the control API for the two actions it offers
(reset a namespace, clear its journal).
"""

from .views import dashboard_blueprint

__all__ = ["dashboard_blueprint"]

"""Template context shared by every page: the user's sites and the current one."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from locks.access import SESSION_SITE_KEY
from locks.models import Site


def current_site(request: HttpRequest) -> dict[str, Any]:
    """The sites for the site switcher and the one last chosen."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    sites = list(Site.objects.visible_to(user).only("id", "name").order_by("name")[:50])
    chosen = request.session.get(SESSION_SITE_KEY)
    current = next((s for s in sites if s.pk == chosen), sites[0] if sites else None)
    return {"user_sites": sites, "current_site": current}

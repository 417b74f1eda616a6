"""Pages for sites and their members."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from locks import services
from locks.access import remember_site, site_for
from locks.forms import MemberAddForm, MemberRoleForm, SiteForm, search_text
from locks.models import Membership, Role, Site
from locks.paging import uncounted_page

# How people can order the site list; the primary key makes each order total for paging.
SITE_SORTS: dict[str, tuple[str, ...]] = {
    "name": ("name", "pk"),
    "time_zone": ("time_zone", "name", "pk"),
    "members": ("-member_count", "name", "pk"),
}
SITES_PER_PAGE = 50


def site_list(request: HttpRequest) -> HttpResponse:
    """The sites the user belongs to, with their role on each: searched, sorted, paged."""
    q, search_error = search_text(request)
    sort = request.GET.get("sort", "name")
    sort = sort if sort in SITE_SORTS else "name"
    sites = Site.objects.visible_to(request.user).with_member_counts()
    if q:
        sites = sites.filter(Q(name__icontains=q) | Q(address__icontains=q))
    page = uncounted_page(
        sites.order_by(*SITE_SORTS[sort]), request.GET.get("page"), SITES_PER_PAGE
    )
    roles = dict(Membership.objects.filter(user=request.user).values_list("site_id", "role"))
    rows = [(site, Role(roles[site.pk]) if site.pk in roles else None) for site in page]
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "rows": rows,
        "page": page,
        "q": q,
        "search_error": search_error,
        "sort": sort,
        "query": query.urlencode(),
        "may_create": services.user_may_create_sites(request.user),
    }
    return render(request, "locks/site_list.html", context)


def site_create(request: HttpRequest) -> HttpResponse:
    """Create a site; its creator becomes its first Admin."""
    if not services.user_may_create_sites(request.user):
        raise PermissionDenied(services.SITE_CREATE_DENIED)
    form = SiteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            site = services.site_create(creator=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            remember_site(request, site)
            messages.success(request, f"Site “{site}” created. You are its Admin.")
            return redirect("site_detail", site_id=site.pk)
    return render(request, "locks/site_form.html", {"form": form, "title": "New site"})


def site_detail(request: HttpRequest, site_id: int) -> HttpResponse:
    """A site's overview."""
    site = site_for(request, site_id)
    remember_site(request, site)
    return render(
        request,
        "locks/site_detail.html",
        {"site": site, "role": site.role_of(request.user)},
    )


def site_edit(request: HttpRequest, site_id: int) -> HttpResponse:
    """Change a site's name, time zone or address (Admins)."""
    site = site_for(request, site_id, role=Role.ADMIN)
    form = SiteForm(request.POST or None, instance=site)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Site saved.")
        return redirect("site_detail", site_id=site.pk)
    return render(
        request, "locks/site_form.html", {"form": form, "site": site, "title": f"Edit {site}"}
    )


@require_POST
def site_switch(request: HttpRequest, site_id: int) -> HttpResponse:
    """Make a site the current one, then go back where the user was."""
    site = site_for(request, site_id)
    remember_site(request, site)
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = ""
    return redirect(target or "site_detail", **({} if target else {"site_id": site.pk}))


def member_list(request: HttpRequest, site_id: int) -> HttpResponse:
    """A site's members; Admins add people, change roles and remove them."""
    site = site_for(request, site_id)
    is_admin = site.role_of(request.user) == Role.ADMIN
    form = MemberAddForm(request.POST or None)
    if request.method == "POST":
        if not is_admin:
            raise PermissionDenied("Only the site's Admins can add members.")
        if form.is_valid():
            try:
                membership = services.membership_add(
                    site=site, request=request, **form.cleaned_data
                )
            except ValidationError as exc:
                form.add_error("email", exc)
            else:
                messages.success(
                    request, f"{membership.user.email} added as {membership.get_role_display()}."
                )
                return redirect("member_list", site_id=site.pk)
    members = site.memberships.select_related("user").order_by("user__username")
    return render(
        request,
        "locks/member_list.html",
        {"site": site, "members": members, "form": form, "is_admin": is_admin, "roles": Role},
    )


def _membership(request: HttpRequest, site_id: int, membership_id: int) -> Membership:
    site = site_for(request, site_id, role=Role.ADMIN)
    return get_object_or_404(
        Membership.objects.select_related("user", "site"), pk=membership_id, site=site
    )


@require_POST
def member_change_role(request: HttpRequest, site_id: int, membership_id: int) -> HttpResponse:
    """Give a member another role (Admins)."""
    membership = _membership(request, site_id, membership_id)
    form = MemberRoleForm(request.POST, instance=Membership(role=membership.role))
    if not form.is_valid():
        messages.error(request, "Choose one of the roles Admin, Manager or Staff.")
        return redirect("member_list", site_id=site_id)
    try:
        services.membership_change_role(
            membership=membership, role=Role(form.cleaned_data["role"]), actor=request.user
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"{membership.user} is now {membership.get_role_display()}.")
    return redirect("member_list", site_id=site_id)


@require_POST
def member_remove(request: HttpRequest, site_id: int, membership_id: int) -> HttpResponse:
    """Take a member off the site (Admins)."""
    membership = _membership(request, site_id, membership_id)
    try:
        services.membership_remove(membership=membership, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"{membership.user} no longer belongs to {membership.site}.")
    return redirect("member_list", site_id=site_id)

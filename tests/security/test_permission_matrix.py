"""Every URL of the portal, asked by every kind of person: the answer, and nothing done unasked."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory
from tests.security.conftest import ACTORS, SITE_A_MARKERS
from tests.security.matrix import CASES, LOGIN, Case, url_names

pytestmark = pytest.mark.django_db

DENIED = (LOGIN, 403, 404, 405)


def _url(case: Case, world) -> str:
    args = [arg.partition(":")[2] if ":" in arg else world.pk(arg) for arg in case.args]
    url = reverse(case.name, args=args)
    return f"{url}?{case.query}" if case.query else url


def _body(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def _request(client: Client, case: Case, world, sandbox):
    headers = {"HX-Request": "true"} if case.htmx else {}
    url = _url(case, world)
    if case.method == "POST":
        data = case.data(world, sandbox) if case.data else {}
        return client.post(url, data, headers=headers)
    return client.get(url, headers=headers)


def _assert_answer(response, expected, url: str) -> None:
    assert response.status_code != 500
    if expected == LOGIN:
        assert response.status_code == 302, _body(response)[:2000]
        assert response["Location"].startswith(reverse(settings.LOGIN_URL)), response["Location"]
    else:
        body = "" if response.status_code in (301, 302) else _body(response)[:3000]
        assert response.status_code == expected, f"{url}: {response.status_code}\n{body}"


PARAMS = [
    pytest.param(case, actor, id=f"{case.label} as {actor}") for case in CASES for actor in ACTORS
]


@pytest.mark.parametrize(("case", "actor"), PARAMS)
def test_each_person_gets_the_answer_their_role_allows_and_nothing_more(
    case: Case, actor: str, world, sandbox, actor_client
):
    before = case.state(world) if case.state else None

    response = _request(actor_client, case, world, sandbox)

    _assert_answer(response, case.expect[actor], _url(case, world))
    if case.state is not None:
        after = case.state(world)
        if actor in case.changed_by:
            assert after != before, f"{case.label} as {actor} did not do what it should"
        else:
            assert after == before, f"{case.label} as {actor} changed what it may not"
    if actor == "outsider" and response.status_code == 200:
        body = _body(response)
        typed = str(case.data(world, sandbox)) if case.data else ""
        # What the outsider typed may come back to them; nothing else of site A may.
        assert not [m for m in SITE_A_MARKERS if m in body and m not in typed]
        assert world.smartlock.name not in body


def test_every_url_of_the_portal_is_in_the_matrix():
    listed = {case.name for case in CASES}
    missing = sorted({name for name, _ in url_names()} - listed)
    assert not missing, f"URL patterns the permission matrix does not list: {missing}"


def test_the_matrix_lists_no_url_that_is_gone():
    existing = {name for name, _ in url_names()}
    assert {case.name for case in CASES} <= existing


@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 302), ("site admin", 302), ("superuser", 200)],
)
def test_the_django_admin_opens_for_superusers_only(who, status, site_admin):
    client = Client()
    if who == "site admin":
        client.force_login(site_admin)
    elif who == "superuser":
        client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))

    for url in (reverse("admin:index"), reverse("admin:k3clients_k3account_changelist")):
        response = client.get(url)
        assert response.status_code == status
        if status == 302:
            login_pages = (reverse("admin:login"), reverse(settings.LOGIN_URL))
            assert response["Location"].startswith(login_pages)

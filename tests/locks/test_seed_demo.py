"""The demo data `make run` loads."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from locks.models import KitLock, Membership, Site

pytestmark = pytest.mark.django_db


def test_the_demo_can_be_loaded_twice_without_doubling_anything():
    call_command("seed_demo")
    call_command("seed_demo")
    assert Site.objects.count() == 2
    assert Membership.objects.count() == 4
    assert KitLock.objects.count() == 3


def test_the_demo_manager_signs_in_and_sees_only_harbour_house_and_its_locks():
    call_command("seed_demo")
    client = Client()
    response = client.post(
        reverse("login"), {"username": "manager", "password": "keyhouse-demo"}, follow=True
    )
    assert "Harbour House" in response.content.decode()
    locks = client.get(reverse("kitlock_list")).content.decode()
    assert "Front door" in locks and "Plant room" in locks
    assert "Loading bay" not in locks

"""The portal's main journeys in a real browser, at desktop and phone size."""

from __future__ import annotations

import re

import pytest
from django_otp.oath import TOTP
from playwright.sync_api import Page, expect

from locks.models import Membership, Role
from tests.e2e.helpers import check_accessibility, open_account_menu, open_menu, screenshot
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.e2e


def sign_in(page: Page, username: str, password: str = PASSWORD) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def test_a_member_signs_in_sees_only_their_sites_and_signs_out(page, site_staff, other_site):
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    check_accessibility(page)
    screenshot(page, "sign-in")

    sign_in(page, "sam-staff")
    expect(page.get_by_role("heading", name="Your sites")).to_be_visible()
    expect(page.get_by_role("link", name="Dashboard of Harbour House")).to_be_visible()
    expect(page.get_by_text("Riverside Depot")).to_have_count(0)
    check_accessibility(page)
    screenshot(page, "home")

    open_account_menu(page, "sam-staff")
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()


def test_a_wrong_password_is_explained_on_the_sign_in_page(page, site_staff):
    sign_in(page, "sam-staff", "not-the-password")
    error = page.get_by_text("Please enter a correct username and password")
    expect(error).to_be_visible()
    expect(page.locator(".alert-danger")).to_be_focused()
    check_accessibility(page)


def test_signing_in_and_out_works_with_the_keyboard_alone(page, site_staff):
    page.goto("/accounts/login/")
    page.get_by_label("Username").focus()
    page.keyboard.type("sam-staff")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Password")).to_be_focused()
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Your sites")).to_be_visible()

    menu = page.get_by_role("button", name="sam-staff")
    if not menu.is_visible():
        page.get_by_role("button", name="Toggle navigation").focus()
        page.keyboard.press("Enter")
    menu.focus()
    page.keyboard.press("Enter")
    sign_out = page.get_by_role("button", name="Sign out")
    sign_out.focus()
    expect(sign_out).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()


def test_a_member_of_two_sites_switches_between_them(logged_in_page, site_admin, other_site):
    Membership.objects.create(site=other_site, user=site_admin, role=Role.STAFF)
    page = logged_in_page(site_admin)
    page.goto("/sites/")
    expect(page.get_by_role("link", name="Riverside Depot", exact=True)).to_be_visible()
    check_accessibility(page)
    screenshot(page, "site-list")

    open_menu(page)
    page.get_by_label("Current site").select_option(label="Riverside Depot")
    expect(page).to_have_url(re.compile(r"/sites/$"))
    open_menu(page)
    expect(page.get_by_label("Current site")).to_have_value(
        re.compile(rf"/sites/{other_site.pk}/switch/")
    )


def test_an_admin_adds_a_member_by_email(logged_in_page, site_admin, site):
    page = logged_in_page(site_admin)
    page.goto(f"/sites/{site.pk}/")
    expect(page.get_by_role("heading", name="Harbour House")).to_be_visible()
    check_accessibility(page)
    screenshot(page, "site-detail")

    page.get_by_role("link", name="Members").click()
    page.get_by_label("E-mail").fill("new.person@example.com")
    page.get_by_label("Role*", exact=True).select_option(label="Manager")
    page.get_by_role("button", name="Add member").click()
    expect(page.get_by_text("new.person@example.com added as Manager.")).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("new.person@example.com"))).to_be_visible()
    check_accessibility(page)
    screenshot(page, "members")


def test_a_bad_email_is_announced_next_to_the_field(logged_in_page, site_admin, site):
    page = logged_in_page(site_admin)
    page.goto(f"/sites/{site.pk}/members/")
    page.get_by_label("E-mail").fill("not-an-email")
    page.get_by_role("button", name="Add member").click()
    expect(page.get_by_text("Enter a valid email address.")).to_be_visible()
    expect(page.get_by_label("E-mail*", exact=True)).to_be_focused()
    check_accessibility(page)


def test_a_user_changes_their_password_and_signs_in_with_it(page, site_staff):
    sign_in(page, "sam-staff")
    open_account_menu(page, "sam-staff")
    page.get_by_role("link", name="Change password").click()
    check_accessibility(page)
    screenshot(page, "change-password")
    page.get_by_label("Old password").fill(PASSWORD)
    page.get_by_label("New password*", exact=True).fill("a-brand-new-passphrase-42")
    page.get_by_label("New password confirmation").fill("a-brand-new-passphrase-42")
    page.get_by_role("button", name="Change password").click()
    expect(page.get_by_role("heading", name=re.compile("[Pp]assword"))).to_be_visible()
    check_accessibility(page)

    open_account_menu(page, "sam-staff")
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, "sam-staff", "a-brand-new-passphrase-42")
    expect(page.get_by_role("heading", name="Your sites")).to_be_visible()


def _code_for(secret: str, steps_ahead: int = 0) -> str:
    import base64
    import time

    key = base64.b32decode(secret.replace(" ", ""))
    clock = TOTP(key)
    clock.time = time.time() + steps_ahead * 30
    return f"{clock.token():06d}"


def test_a_user_turns_on_two_factor_and_then_signs_in_with_a_code(page, site_staff):
    sign_in(page, "sam-staff")
    open_account_menu(page, "sam-staff")
    page.get_by_role("link", name="Two-factor sign-in").click()
    check_accessibility(page)
    page.get_by_role("link", name="Turn on two-factor sign-in").click()
    expect(page.get_by_role("img", name=re.compile("QR code"))).to_be_visible()
    check_accessibility(page)
    screenshot(page, "two-factor-enrol")

    secret = page.locator("#totp-secret").inner_text()
    page.get_by_label("Authentication code").fill(_code_for(secret))
    page.get_by_role("button", name="Turn on").click()
    expect(page.get_by_text("Two-factor sign-in is on. You will be asked")).to_be_visible()
    check_accessibility(page)

    open_account_menu(page, "sam-staff")
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, "sam-staff")
    expect(page.get_by_role("heading", name="Authentication code")).to_be_visible()
    check_accessibility(page)
    page.get_by_label("Authentication code").fill(_code_for(secret, steps_ahead=1))
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Your sites")).to_be_visible()


def test_the_django_admin_works_under_the_content_security_policy(logged_in_page, db):
    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    page = logged_in_page(root)
    page.goto("/admin/")
    expect(page.get_by_role("heading", name="Site administration")).to_be_visible()
    page.goto("/admin/locks/site/add/")
    expect(page.get_by_role("heading", name="Add site")).to_be_visible()
    page.goto("/admin/auth/user/")
    expect(page.get_by_role("heading", name=re.compile("Select user"))).to_be_visible()


def test_the_browser_refuses_a_script_injected_into_a_page(logged_in_page, site_staff, request):
    page = logged_in_page(site_staff)
    page.goto("/")
    with page.expect_console_message(lambda m: "Content Security Policy" in m.text):
        page.evaluate(
            "document.body.insertAdjacentHTML('beforeend',"
            ' \'<img src="/static/none.png" alt="" onerror="document.title = 1">\')'
        )
    expect(page).not_to_have_title("1")
    request.getfixturevalue("_page_problems").clear()  # the refusal was the point

"""Every dashboard widget's data on a seeded site, in a bounded number of queries."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse

from dashboard import attention, widget_html, widgets
from k3clients.models import AuditEntry
from netcodes.models import ApiCall, NetCodeIssue
from tests.dashboard.conftest import NOW
from tests.dashboard.factories import ApiCallFactory
from tests.factories import MembershipFactory, SiteFactory
from tests.k3clients.factories import SmartLockFactory
from tests.locks.factories import KitLockFactory


def _names(rows) -> list[str]:
    return [row.name for row in rows]


def _attention(sites):
    return attention.lock_health(sites, now=NOW, limit=widgets.LIST_LIMIT).rows


def test_locks_needing_attention_come_worst_first_with_what_is_wrong(world):
    rows = _attention([world.site])
    problems = {row.name: row.problems for row in rows}
    assert _names(rows)[:2] == ["Back door", "Bin store"]  # battery low, clock to set
    assert problems["Back door"] == ("Battery low (15%)",)
    assert problems["Bin store"] == ("Clock to set: codes will not work",)
    assert problems["Roof hatch"] == ("Initialisation not confirmed",)
    assert problems["Side gate"] == ("Not synced in the last 24 hours",)
    assert problems["Old shed"] == ("No longer on its account",)
    assert "Front door" not in problems and "Plant room" not in problems


def test_a_refused_access_key_marks_the_locks_unreachable(world):
    account = world.healthy.account
    account.key_rejected_at = NOW
    account.save()
    rows = _attention([world.site])
    front = next(row for row in rows if row.name == "Front door")
    assert front.problems == ("Access key refused: unreachable",)


def test_codes_active_now_and_starting_later_today_on_the_sites_clock(world):
    active = widgets.codes_active_now([world.site], now=NOW)
    later = widgets.codes_starting_today([world.site], now=NOW)
    assert [i.recipient_name for i in active.rows] == ["Carla Cleaner"]
    assert [i.recipient_name for i in later.rows] == ["Pete Plumber"]
    assert active.total == later.total == 1


def test_pending_invitations_list_only_people_who_have_not_accepted(world):
    pending = widgets.pending_invitations([world.site])
    assert [c.email for c in pending.rows] == ["newbie@example.com"]


def test_latest_door_events_are_newest_first(world):
    events = widgets.latest_door_events([world.site])
    assert [(e.entry_type, e.lock.name) for e in events] == [
        ("Unlock", "Front door"),
        ("Lock", "Front door"),
        ("Unlock", "Front door"),
    ]


def test_the_battery_chart_counts_present_locks_per_band(world):
    health = attention.lock_health([world.site], now=NOW, limit=widgets.LIST_LIMIT)
    chart = widgets.battery_chart(health.battery_bands)
    assert chart.rows == [
        ("Low (20% or less)", 1),
        ("21 to 50%", 0),
        ("51 to 100%", 2),  # Side gate (80%) and Front door; the gone lock is left out
        ("Not reported", 0),
    ]


def test_events_per_day_counts_door_events_on_the_sites_days(world):
    chart = widgets.events_per_day([world.site], now=NOW)
    assert chart.rows[-1] == ("14 Jul", 2)
    assert chart.rows[-2] == ("13 Jul", 1)
    assert sum(value for _, value in chart.rows) == 3
    assert len(chart.rows) == widgets.EVENT_DAYS


def test_usage_this_month_matches_the_ledger_and_is_hidden_from_staff(
    world, site_manager, site_staff
):
    ApiCallFactory(category="netcode", operation="netcode")
    ApiCallFactory(category="utility")
    ApiCallFactory(category="utility", status=429)  # refused: not billed
    netcode, utility = widgets.usage_this_month(site_manager, now=ApiCall.objects.first().at)
    assert (netcode.used, utility.used) == (1, 1)
    assert widgets.usage_this_month(site_staff, now=NOW) == []


def test_nothing_of_another_site_reaches_any_widget(world, site_staff):
    context = widgets.dashboard_context(site_staff, [world.site], now=NOW)
    text = repr(context)
    for foreign in ("Depot", "Oscar Otherside", "depot-newbie"):
        assert foreign not in text


def test_the_dashboard_runs_the_same_few_queries_however_many_locks(
    world, site_manager, django_assert_max_num_queries
):
    with django_assert_max_num_queries(16):
        widgets.dashboard_context(site_manager, [world.site], now=NOW)
    for n in range(15):
        lock = SmartLockFactory(account=world.healthy.account, name=f"Extra {n}")
        AuditEntry.objects.create(
            lock=lock, audit_entry_id=9_000_000 + n, date_entered=NOW - timedelta(hours=n)
        )
    with django_assert_max_num_queries(16):
        context = widgets.dashboard_context(site_manager, [world.site], now=NOW)
    assert len(context["door_events"]) == widgets.LIST_LIMIT


def test_the_home_page_is_the_dashboard_across_the_users_sites(world, site_staff_client):
    response = site_staff_client.get(reverse("home"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Your sites" in body and "Harbour House" in body
    assert "Locks needing attention" in body and "Bin store" in body
    assert "Riverside Depot" not in body and "Depot gate" not in body
    assert "API usage this month" not in body  # staff do not see the quota


def test_a_site_dashboard_shows_the_site_and_404s_for_another(world, site_manager_client):
    response = site_manager_client.get(reverse("site_dashboard", args=[world.site.pk]))
    body = response.content.decode()
    assert "Dashboard of Harbour House" in body
    assert "newbie@example.com" in body
    assert "API usage this month" in body
    other = reverse("site_dashboard", args=[world.other_site.pk])
    assert site_manager_client.get(other).status_code == 404


def test_an_empty_dashboard_says_what_to_do_next(site, site_admin_client):
    body = site_admin_client.get(reverse("site_dashboard", args=[site.pk])).content.decode()
    assert "Every lock is fine" in body
    assert "Link a K3 Connect account" in body
    assert "Activity log" in body  # Admins get the link


def test_odd_battery_readings_fall_in_the_right_band_and_only_low_ones_need_attention(world):
    account = world.healthy.account
    for n, status in enumerate([" 7 ", "20%", "21", "45 %", "100", "", "n/a", "3.6V"]):
        SmartLockFactory(
            account=account, name=f"Odd {n}", battery_status=status, last_synced_at=NOW
        )
    health = attention.lock_health([world.site], now=NOW, limit=50)
    # Back door (15) and Front door (90) and Side gate (80) of the world are counted too.
    assert health.battery_bands == (1 + 2, 2, 2 + 1, 3)
    low = {row.name: row.problems for row in health.rows if row.name.startswith("Odd")}
    assert low == {"Odd 0": ("Battery low (7%)",), "Odd 1": ("Battery low (20%)",)}


def test_the_home_table_puts_the_sites_with_most_locks_needing_attention_first(
    world, site_manager, client
):
    calm = SiteFactory(name="Calm Court")
    busy = SiteFactory(name="Busy Barn")
    also_one = SiteFactory(name="Apple Yard")
    for site, broken in ((calm, 0), (busy, 7), (also_one, 1)):
        MembershipFactory(site=site, user=site_manager, role="manager")
        KitLockFactory(site=site, name=f"{site.name} fine")
        for n in range(broken):
            KitLockFactory(site=site, name=f"{site.name} {n}", clock_needs_setting=True)
    client.force_login(site_manager)
    body = client.get(reverse("home")).content.decode()
    table = body[body.index('id="your-sites"') : body.index("</table>")]
    order = ("Busy Barn", "Harbour House", "Apple Yard", "Calm Court")
    positions = [table.index(f">{name}</a>") for name in order]
    assert positions == sorted(positions)  # 7, then 4 (world), then 1, then none
    assert "Busy Barn</a>" in table and '<span class="badge text-bg-danger">7</span>' in table


def test_the_lists_draw_times_on_the_sites_clock_and_escape_what_people_typed(world):
    issue = NetCodeIssue.objects.get(recipient_name="Carla Cleaner")
    issue.recipient_name = "<b>Carla</b>"
    issue.save()
    active = widgets.codes_active_now([world.site], now=NOW)
    html = widget_html.code_items(active, show_site=True)
    assert "&lt;b&gt;Carla&lt;/b&gt;" in html and "<b>" not in html
    assert "14 Jul 10:00 \u2013 14 Jul 12:00 · Harbour House" in html  # London, not UTC
    doors = widget_html.door_items(widgets.latest_door_events([world.site]))
    assert "14 Jul 10:55</time> · <strong>Unlock</strong>" in doors
    pending = widget_html.pending_items(widgets.pending_invitations([world.site]), False, NOW)
    assert "newbie@example.com on <a" in pending

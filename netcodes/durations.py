"""The NetCode durations of each lock model, cached in the database and refreshed daily."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from codelocks.types import Duration, DurationInfo
from locks.models.kitlocks import mode_key
from netcodes.api import codelocks_client
from netcodes.clock import StartRule
from netcodes.models import ApiCategory, DurationOption
from netcodes.quota import quota_guard

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

    AnyUser = AbstractBaseUser | AnonymousUser | None


def durations_for(lockmodel: str, *, user: AnyUser = None, task: str = "") -> list[DurationOption]:
    """The cached durations of a lock model, fetched from the API only when none are cached."""
    options = list(DurationOption.objects.filter(lock_model=lockmodel))
    if not options:
        options = durations_refresh(lockmodel=lockmodel, user=user, task=task)
    for option in options:
        if not option.has_rules:  # once per duration id: the rules seldom change
            duration_rule(option, user=user, task=task)
    return options


def durations_for_mode(
    lockmodel: str, netcode_mode: str, *, user: AnyUser = None
) -> list[DurationOption]:
    """The durations a lock set to `netcode_mode` accepts: Standard ones and its own mode's."""
    wanted = {"standard", netcode_mode}
    return [o for o in durations_for(lockmodel, user=user) if mode_key(o.mode) in wanted]


def durations_refresh(
    *, lockmodel: str, user: AnyUser = None, task: str = ""
) -> list[DurationOption]:
    """Fetch a lock model's durations from the API and store them (rules kept if unchanged)."""
    quota_guard(ApiCategory.UTILITY)
    fetched = codelocks_client(user=user, task=task).durations(lockmodel=lockmodel)
    return _store_durations(lockmodel, [d for d in fetched if _fits(d, lockmodel)])


def _fits(duration: Duration, lockmodel: str) -> bool:
    return not duration.lock_models or lockmodel in duration.lock_models


@transaction.atomic
def _store_durations(lockmodel: str, fetched: list[Duration]) -> list[DurationOption]:
    now = timezone.now()
    existing = {o.duration_id: o for o in DurationOption.objects.filter(lock_model=lockmodel)}
    DurationOption.objects.filter(lock_model=lockmodel).exclude(
        duration_id__in=[d.duration_id for d in fetched]
    ).delete()
    for item in fetched:
        option = existing.get(item.duration_id) or DurationOption(
            lock_model=lockmodel, duration_id=item.duration_id
        )
        changed = (option.mode, option.days, option.hours) != (
            item.mode,
            item.duration_days,
            item.duration_hours,
        )
        option.mode, option.sub_mode = item.mode, item.sub_mode
        option.days, option.hours, option.fetched_at = item.duration_days, item.duration_hours, now
        if changed:  # a duration id that changed meaning may have changed rules too
            option.rules_fetched_at = None
        option.save()
    return list(DurationOption.objects.filter(lock_model=lockmodel))


def duration_rule(option: DurationOption, *, user: AnyUser = None, task: str = "") -> StartRule:
    """The start-time rules of a duration, fetched from the API once and then cached."""
    if not option.has_rules:
        quota_guard(ApiCategory.UTILITY)
        info = codelocks_client(user=user, task=task).duration(
            option.duration_id, lockmodel=option.lock_model
        )
        _store_rules(option, info)
    return StartRule(
        convert_to_utc=bool(option.convert_to_utc),
        apply_dst=bool(option.apply_dst),
        restricted_start_time=option.restricted_start_time,
    )


def _store_rules(option: DurationOption, info: DurationInfo) -> None:
    if info.rules:
        rule = info.rules[0]
        option.apply_dst, option.convert_to_utc = rule.apply_dst, rule.convert_to_utc
        option.restricted_start_time = rule.restricted_start_time
    else:  # documented default: the API works in UTC, hour codes on the hour
        option.apply_dst, option.convert_to_utc = False, True
        option.restricted_start_time = "00:00" if option.is_day_code else "XX:00"
    option.rules_fetched_at = timezone.now()
    option.save(
        update_fields=["apply_dst", "convert_to_utc", "restricted_start_time", "rules_fetched_at"]
    )


def durations_refresh_in_use(*, task: str = "") -> list[str]:
    """Refresh the durations of every lock model in use or cached; give the models refreshed.

    Leaves alone the share of the Utility quota kept back for people's own actions.
    """
    from django.apps import apps
    from django.conf import settings

    from netcodes.quota import quota_status

    models = set(DurationOption.objects.values_list("lock_model", flat=True))
    models |= set(apps.get_model("locks", "KitLock").objects.values_list("model", flat=True))
    refreshed = []
    for lockmodel in sorted(models):
        status = quota_status(ApiCategory.UTILITY)
        if status.left <= status.limit * settings.CODELOCKS_UTILITY_RESERVE:
            break
        durations_refresh(lockmodel=lockmodel, task=task)
        refreshed.append(lockmodel)
    return refreshed

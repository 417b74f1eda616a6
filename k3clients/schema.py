"""The active-periods schema from `help/spcconfig`: fetched rarely, cached, checked locally."""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING, Any

from django.core.cache import cache

from codelocks.errors import CodelocksError
from netcodes.api import codelocks_client
from netcodes.models import ApiCategory
from netcodes.quota import QuotaExhausted, quota_guard

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

logger = logging.getLogger(__name__)

CACHE_KEY = "k3clients:spcconfig-schema"
CACHE_SECONDS = 24 * 60 * 60
# After a failed fetch, wait before spending another call on a help endpoint.
RETRY_SECONDS = 10 * 60
_UNAVAILABLE = "unavailable"

_TYPES: dict[str, type | tuple[type, ...]] = {
    "object": dict,
    "array": list,
    "string": str,
    "integer": int,
    "boolean": bool,
    "number": (int, float),
    "null": type(None),
}


def active_periods_schema(*, user: AbstractBaseUser | None = None) -> dict[str, Any] | None:
    """The API's JSON schema of active periods; None when the API does not give one."""
    cached = cache.get(CACHE_KEY)
    if cached is not None:
        return None if cached == _UNAVAILABLE else cached
    try:
        quota_guard(ApiCategory.UTILITY)
        config = codelocks_client(user=user).spc_config()
    except (CodelocksError, QuotaExhausted) as exc:
        logger.warning("active-periods schema not fetched: %s", type(exc).__name__)
        cache.set(CACHE_KEY, _UNAVAILABLE, RETRY_SECONDS)
        return None
    parsed = config.parsed or {}
    schema = parsed.get("schema") if isinstance(parsed.get("schema"), dict) else None
    cache.set(CACHE_KEY, schema if schema is not None else _UNAVAILABLE, CACHE_SECONDS)
    return schema


def schema_problems(value: Any, schema: dict[str, Any], path: str = "activeperiods") -> list[str]:
    """What in `value` breaks the JSON-schema subset the API uses (empty when it conforms)."""
    expected = schema.get("type")
    if expected in _TYPES and not _is_type(value, expected):
        return [f"{path} is not of type {expected}"]
    if "enum" in schema and value not in schema["enum"]:
        return [f"{path} is not one of the allowed values"]
    if isinstance(value, str) and "pattern" in schema and not re.search(schema["pattern"], value):
        return [f"{path} does not match {schema['pattern']}"]
    if isinstance(value, dict):
        return _object_problems(value, schema, path)
    return []


def _is_type(value: Any, expected: str) -> bool:
    if expected == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if expected in ("number",) and isinstance(value, bool):
        return False
    return isinstance(value, _TYPES[expected])


def _object_problems(value: dict[str, Any], schema: dict[str, Any], path: str) -> list[str]:
    problems = [f"{path} lacks {name}" for name in schema.get("required", []) if name not in value]
    if "maxProperties" in schema and len(value) > schema["maxProperties"]:
        problems.append(f"{path} has more than {schema['maxProperties']} entries")
    if "minProperties" in schema and len(value) < schema["minProperties"]:
        problems.append(f"{path} has fewer than {schema['minProperties']} entries")
    properties = schema.get("properties", {})
    patterns = schema.get("patternProperties", {})
    extra = schema.get("additionalProperties", True)
    for key, item in value.items():
        child = f"{path}.{key}"
        matched = [sub for pattern, sub in patterns.items() if re.search(pattern, key)]
        if key in properties:
            matched.append(properties[key])
        if not matched and extra is False:
            problems.append(f"{child} is not allowed")
        elif not matched and isinstance(extra, dict):
            matched.append(extra)
        for sub in matched:
            problems.extend(schema_problems(item, sub, child))
    return problems

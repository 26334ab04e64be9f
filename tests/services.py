"""Tests that need an outside service (PostgreSQL, Redis, Chromium...) skip with a reason when it
is absent — but fail instead when REQUIRE_SERVICES=1 (CI), so a skipped service cannot pass CI."""

import os

import pytest


def services_required() -> bool:
    return os.environ.get("REQUIRE_SERVICES", "") == "1"


def require_service(name: str, available: bool, reason: str) -> None:
    """Skip (or, with REQUIRE_SERVICES=1, fail) the calling test when ``name`` is not available."""
    if available:
        return
    message = f"{name} not available: {reason}"
    if services_required():
        pytest.fail(f"{message} (REQUIRE_SERVICES=1)")
    pytest.skip(message)

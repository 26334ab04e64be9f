"""Shared pytest fixtures. Keep each section small and say which tests use it."""

import pytest

from core.models import Region

# --- Reference data (used by tests/test_models.py) -----------------------------------------


@pytest.fixture
def region(db) -> Region:
    """경상남도 (code 48), one of the 17 regions loaded by the core data migration."""
    return Region.objects.get(code="48")

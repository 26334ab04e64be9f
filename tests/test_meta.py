"""Meta-tests: every domain model has a factory and is registered in the admin."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.db import models
from simple_history.models import HistoricalChanges

from tests import factories

DOMAIN_APPS = ("core", "companies", "programs", "events", "indicators", "results")


def domain_models() -> list[type[models.Model]]:
    """Concrete models of the domain apps, without simple_history's Historical* models.

    ``get_models()`` already leaves out auto-created many-to-many through tables.
    """
    return [
        model
        for label in DOMAIN_APPS
        for model in apps.get_app_config(label).get_models()
        if not issubclass(model, HistoricalChanges)
        and not model.__name__.startswith("Historical")
        and not model._meta.proxy
    ]


def test_domain_models_are_found():
    # when
    names = {model.__name__ for model in domain_models()}

    # then: a sample from each app, and no history or through tables
    assert {"Region", "Company", "Program", "Event", "Observation"} <= names
    assert not any(name.startswith("Historical") for name in names)
    assert "Program_sources" not in names


@pytest.mark.parametrize("model", domain_models(), ids=lambda model: model._meta.label)
def test_every_model_has_a_factory(model):
    # when
    factory_class = getattr(factories, f"{model.__name__}Factory", None)

    # then
    assert factory_class is not None, f"tests/factories.py has no {model.__name__}Factory"
    assert factory_class._meta.model is model


@pytest.mark.parametrize("model", domain_models(), ids=lambda model: model._meta.label)
def test_every_model_is_registered_in_the_admin(model):
    assert admin.site.is_registered(model), f"{model._meta.label} is not registered in the admin"

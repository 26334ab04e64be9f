"""Resource shapes: one declaration per resource, from which the read path, the schema and the
write fields derive."""

import pytest
from django.urls import resolve

from config.api import router
from core.publication import public_field_names, publication_of

# Resources built from a shape (the changes feed has its own fixed entries: test_changes.py).
VIEWSETS = sorted(
    {viewset for _prefix, viewset, _basename in router.registry if "shape" in vars(viewset)},
    key=str,
)


def detail_shape(viewset):
    return viewset.detail_shape or viewset.shape


@pytest.mark.parametrize("viewset", VIEWSETS, ids=lambda v: v.__name__)
def test_every_public_field_of_a_resource_is_shown_or_left_out_on_purpose(viewset):
    # A public field added to a model's declaration appears in the API by itself; the only way
    # not to show it is to exclude it in the resource's shape.
    assert detail_shape(viewset).unhandled() == set()


@pytest.mark.parametrize("viewset", VIEWSETS, ids=lambda v: v.__name__)
def test_schema_documents_exactly_the_keys_the_builder_makes(viewset):
    for shape in (viewset.shape, detail_shape(viewset)):
        documented = set(shape.serializer()().fields)
        built_public = _built_keys(shape, staff=False)
        built_staff = _built_keys(shape, staff=True)
        assert built_staff == documented, shape.name
        assert built_public == documented - shape.staff_only_keys(), shape.name


def _built_keys(shape, *, staff: bool) -> set[str]:
    keys = {key for key, _expression in shape._expressions("", staff, _Index())}
    return keys | {n.name for n in shape.all_nested()}


class _Index(dict):
    """Any column name maps to index 0 (only the keys are of interest here)."""

    def __getitem__(self, key):
        return 0

    def __contains__(self, key):
        return True


@pytest.mark.parametrize("viewset", VIEWSETS, ids=lambda v: v.__name__)
def test_staff_only_fields_are_marked_in_the_schema_and_absent_from_public_builders(viewset):
    shape = detail_shape(viewset)
    staff_only = set(publication_of(shape.model).staff_only)
    fields = shape.serializer()().fields
    for key in shape.staff_only_keys():
        assert "Staff only" in str(fields[key].help_text)
        assert fields[key].required is False
    public = {f.name for f in shape.model_fields(staff=False)}
    assert not public & staff_only


def test_write_fields_are_the_editable_fields_staff_can_read():
    from programs.api.serializers import ParticipationWriteSerializer, ProgramWriteSerializer

    assert "note" in ParticipationWriteSerializer.Meta.fields  # staff-only, writable by staff
    assert "link" in ProgramWriteSerializer.Meta.fields  # the model's url, shown as link
    assert "url" not in ProgramWriteSerializer.Meta.fields
    assert {"related", "sources"} <= set(ProgramWriteSerializer.Meta.fields)
    assert "created_at" not in ProgramWriteSerializer.Meta.fields


def test_a_resource_lists_the_models_public_fields_in_order():
    from programs.models import Program

    shape = resolve("/api/v1/programs/").func.cls.detail_shape
    keys = [shape.key(f) for f in shape.model_fields(staff=False)]
    expected = [
        {"url": "link"}.get(n, n)
        for n in public_field_names(Program)
        if not Program._meta.get_field(n).many_to_many
    ]
    assert sorted(keys) == sorted(expected)

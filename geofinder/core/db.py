"""Database expressions shared by the models."""

from django.db.models import BooleanField, F, Func


def is_valid_geometry(field_name: str) -> Func:
    """`ST_IsValid(field)`, for a CheckConstraint that keeps invalid polygons out of the database."""
    return Func(F(field_name), function="ST_IsValid", output_field=BooleanField())

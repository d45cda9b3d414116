"""The lint rules, one module per family; importing this package registers them all (the
blueprint's, and the ``dora`` profile's in ``dora``)."""

from clearpact.lint.rules import completeness, consistency, dora, language, measurability

__all__ = ["completeness", "consistency", "dora", "language", "measurability"]

"""The lint rules, one module per family; importing this package registers them all."""

from clearpact.lint.rules import completeness, consistency, language, measurability

__all__ = ["completeness", "consistency", "language", "measurability"]

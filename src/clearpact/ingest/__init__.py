"""Import profiles; adapters that read files and produce the canonical tables.

Modules here may read files and use pyarrow and DuckDB; they produce the tables defined in
:mod:`clearpact.clock.tables`. Nothing in clearpact's core imports this package.
"""

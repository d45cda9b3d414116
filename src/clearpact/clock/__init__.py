"""The SLA clock: canonical tables in, one result row per ticket per SLA out.

The kernel is pure (NumPy over Arrow); runners around it read files and use cores or engines.
"""

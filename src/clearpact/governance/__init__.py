"""Governance: the evidence register, obligations due vs done, customer health and churn risk.

Domain logic over the agreement and measured results; imports the core, never an adapter (the
modules that read a store say so in their first line).
"""

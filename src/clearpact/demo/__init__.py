"""Demo data: an invented MSP and three customers, a year of their tickets, checks and surveys,
written in the export formats of the tools they use, with the ground truth beside them.

An adapter package (it writes files); ``clearpact demo`` calls :func:`generate_demo`.
"""

from __future__ import annotations

from clearpact.demo.generate import generate_demo
from clearpact.demo.manifest import BadRow, CustomerTruth, DemoManifest, OutageTruth

__all__ = ["BadRow", "CustomerTruth", "DemoManifest", "OutageTruth", "generate_demo"]

"""The regulatory frame of an agreement: which framework the customer is under, whether the
services support its critical or important functions, and the duties a regulator asks the
contract to carry that have no other home in the model. Pure pydantic; no files.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, Field

from clearpact.agreement.fields import Period, Strict


class Framework(StrEnum):
    """A regulatory framework whose contract requirements ``clearpact lint --profile`` checks."""

    DORA = "dora"  # Regulation (EU) 2022/2554, Art. 30


class Regulatory(BaseModel):
    """The customer's regulatory framework and the contract duties it adds."""

    model_config = Strict

    framework: Framework = Field(
        description="The framework the customer is under: 'dora' (Regulation (EU) 2022/2554)."
    )
    critical_or_important: bool | None = Field(
        default=None,
        description="Whether the services support the customer's critical or important "
        "functions, so that DORA Art. 30(3) applies; `clearpact lint --profile dora` reads it.",
    )
    authority_cooperation: str | None = Field(
        default=None,
        description="How the provider cooperates fully with the customer's competent and "
        "resolution authorities and the persons they appoint (DORA Art. 30(2)(g)).",
    )
    security_awareness_training: str | None = Field(
        default=None,
        description="On what conditions the provider takes part in the customer's ICT security "
        "awareness programmes and operational resilience training (DORA Art. 30(2)(i)).",
    )
    material_change_notice: Period | None = Field(
        default=None,
        description="Within how long the provider tells the customer of a development that may "
        "materially affect its ability to meet the service levels (DORA Art. 30(3)(b)).",
    )
    tlpt_participation: str | None = Field(
        default=None,
        description="How the provider takes part and cooperates fully in the customer's "
        "threat-led penetration testing (TLPT; DORA Arts. 26, 27 and 30(3)(d)).",
    )

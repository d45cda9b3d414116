"""The invented MSP of the demo, its three customers and their people.

Plain data, the same for every seed (only tickets and outages are random). Every organisation
and person is made up; every e-mail domain is under the reserved ``.example`` top-level domain.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

PROVIDER = "Fernhollow IT Services Ltd"
"""The managed-service provider whose ConnectWise PSA and monitoring the demo exports."""

Role = Literal["engineer", "bot", "contact", "it_staff", "system"]
Tool = Literal["connectwise", "zendesk"]
Channel = Literal["email", "portal", "phone", "escalation", "monitoring"]


@dataclass(frozen=True)
class Person:
    """Someone (or something) that writes on tickets, with their ids in each tool."""

    key: str  # unique among the cast
    name: str
    role: Role
    email: str
    cw_id: int | None = None  # ConnectWise member or contact id
    cw_identifier: str | None = None  # ConnectWise member identifier (members only)
    zd_id: int | None = None  # Zendesk user id


@dataclass(frozen=True)
class Customer:
    """One customer: its tool, its agreement's keys and the rhythm of its tickets.

    ``daily_tickets`` is the ticket rate on an ordinary open weekday at scale 1; ``pace``
    multiplies how long the MSP takes (1 is the MSP's usual speed); ``pauses`` is the chance
    that a ticket waits on the customer, on a vendor, or for a scheduled visit.
    """

    slug: str  # the agreement's file name in agreements/
    name: str
    tool: Tool
    customer_id: str  # as an import sees it: CW company identifier, Zendesk organization id
    company_id: int  # CW company id, or the Zendesk organization id as a number
    office_calendar: str  # the agreement calendar its staff work by
    response_sla: str
    resolution_sla: str
    daily_tickets: float
    channels: dict[Channel, float]
    engineers: tuple[Person, ...]
    contacts: tuple[Person, ...]
    pace: float
    pauses: dict[str, float]
    survey_rate: float
    domain: str
    it_staff: tuple[Person, ...] = field(default=())
    on_call: bool = False  # P1s out of office hours go to an on-call engineer who calls back


def _engineer(identifier: str, name: str, cw_id: int, zd_id: int | None = None) -> Person:
    email = f"{identifier}@fernhollow.example"
    return Person(f"eng:{identifier}", name, "engineer", email, cw_id, identifier, zd_id)


ENGINEERS = {
    person.cw_identifier: person
    for person in (
        _engineer("pnatarajan", "Priya Natarajan", 160, 9000000101),
        _engineer("twhitfield", "Tom Whitfield", 161),
        _engineer("lhoffmann", "Lena Hoffmann", 162),
        _engineer("jbecker", "Jonas Becker", 163),
        _engineer("arahman", "Aisha Rahman", 164),
        _engineer("mdoyle", "Marcus Doyle", 165),
        _engineer("smarin", "Sofia Marin", 166, 9000000104),
        _engineer("kmensah", "Kwame Mensah", 167, 9000000105),
        _engineer("hprice", "Hannah Price", 168),
    )
}
ACKBOT = Person(
    "bot:ackbot", "Acknowledgement Bot", "bot", "ackbot@fernhollow.example", 190, "ackbot"
)
"""ConnectWise API member that sends the automatic acknowledgement."""
ZENDESK_BOT = Person(
    "bot:zendesk", "Service Desk Bot", "bot", "bot@prairiegate-freight.example", zd_id=9000000099
)
"""The Zendesk API user that sends the automatic acknowledgement in the customer's desk."""
SYSTEM = Person("system", "zAdmin", "system", "", cw_identifier="zAdmin", zd_id=-1)
"""Workflow rules (ConnectWise) and automations (Zendesk author -1) that close tickets."""

# fmt: off
_FIRST = (
    "Amelia", "Oliver", "Grace", "Noah", "Isla", "Theo", "Freya", "Arthur", "Ava", "Leo", "Mia",
    "Oscar", "Ella", "Henry", "Ruby", "Jack", "Anna", "Felix", "Clara", "Max", "Lea", "Paul",
    "Marie", "Ben", "Hanna", "Emil", "Ida", "Jonah", "Leonie", "Lukas", "Maya", "Ethan", "Chloe",
    "Mason", "Harper", "Logan", "Avery", "Carter", "Riley", "Wyatt",
)
_LAST = (
    "Ashdown", "Bramley", "Carrow", "Dunmore", "Ellery", "Fairbank", "Garside", "Holloway",
    "Ingram", "Jessop", "Kettering", "Lindell", "Marchant", "Nettles", "Overton", "Pennick",
    "Quayle", "Rushworth", "Stanbury", "Thackeray", "Underhill", "Varley", "Wexford", "Yardley",
    "Brandt", "Dorn", "Falkner", "Gerlach", "Heise", "Kessler", "Lorenz", "Mertens", "Nowak",
    "Pohl", "Reimann", "Seidler", "Tiedemann", "Voss", "Wegener", "Ziegler",
)
# fmt: on


def _contacts(
    prefix: str, count: int, offset: int, domain: str, cw_base: int, zd_base: int
) -> tuple[Person, ...]:
    people = []
    for i in range(count):
        first = _FIRST[(i * 7 + offset) % len(_FIRST)]
        last = _LAST[(i * 11 + offset * 3) % len(_LAST)]
        email = f"{first[0].lower()}.{last.lower()}@{domain}"
        people.append(
            Person(
                f"{prefix}:{i}", f"{first} {last}", "contact", email, cw_base + i, zd_id=zd_base + i
            )
        )
    return tuple(people)


HARTWELL = Customer(
    slug="hartwell-ainsley",
    name="Hartwell & Ainsley LLP",
    tool="connectwise",
    customer_id="HartwellAinsley",
    company_id=410,
    office_calendar="office",
    response_sla="first-response",
    resolution_sla="resolution",
    daily_tickets=5.2,
    channels={"email": 0.45, "portal": 0.25, "phone": 0.30},
    engineers=tuple(ENGINEERS[i] for i in ("twhitfield", "arahman", "hprice", "pnatarajan")),
    contacts=_contacts("hartwell", 30, 0, "hartwell-ainsley.example", 5100, 0),
    pace=0.9,
    pauses={"customer": 0.21, "vendor": 0.04, "scheduled": 0.02},
    survey_rate=0.30,
    domain="hartwell-ainsley.example",
)
SONNENHANG = Customer(
    slug="sonnenhang-vets",
    name="Sonnenhang Tierkliniken GmbH",
    tool="connectwise",
    customer_id="SonnenhangVet",
    company_id=411,
    office_calendar="clinic",
    response_sla="response",
    resolution_sla="resolution",
    daily_tickets=3.6,
    channels={"email": 0.35, "portal": 0.30, "phone": 0.35},
    engineers=tuple(ENGINEERS[i] for i in ("lhoffmann", "jbecker", "mdoyle", "pnatarajan")),
    contacts=_contacts("sonnenhang", 36, 5, "sonnenhang-vets.example", 5200, 0),
    pace=0.9,
    pauses={"customer": 0.15, "vendor": 0.06, "scheduled": 0.04},
    survey_rate=0.25,
    domain="sonnenhang-vets.example",
    on_call=True,
)
PRAIRIEGATE_ORG = 360004200001
PRAIRIEGATE = Customer(
    slug="prairiegate-freight",
    name="Prairiegate Freight Inc.",
    tool="zendesk",
    customer_id=str(PRAIRIEGATE_ORG),
    company_id=PRAIRIEGATE_ORG,
    office_calendar="business",
    response_sla="response",
    resolution_sla="resolution",
    daily_tickets=2.4,
    channels={"email": 0.50, "portal": 0.30, "escalation": 0.20},
    engineers=tuple(ENGINEERS[i] for i in ("smarin", "kmensah", "pnatarajan")),
    contacts=_contacts("prairiegate", 34, 11, "prairiegate-freight.example", 0, 9100000301),
    pace=1.25,
    pauses={"customer": 0.20, "vendor": 0.07, "scheduled": 0.0},
    survey_rate=0.20,
    domain="prairiegate-freight.example",
    it_staff=(
        Person(
            "it:0",
            "Janelle Brooks",
            "it_staff",
            "j.brooks@prairiegate-freight.example",
            zd_id=9000000201,
        ),
        Person(
            "it:1", "Ray Koval", "it_staff", "r.koval@prairiegate-freight.example", zd_id=9000000202
        ),
        Person(
            "it:2",
            "Dee Martinez",
            "it_staff",
            "d.martinez@prairiegate-freight.example",
            zd_id=9000000203,
        ),
    ),
)
CUSTOMERS = (HARTWELL, SONNENHANG, PRAIRIEGATE)

"""Commitments and assurances in the sender's own words, one sentence at a time.

A sentence of the sender's new text (quoted replies and the signature are set aside first) is a
commitment when it promises something: "we'll have it fixed by Friday", "someone will be on site
within the hour", "that's included in your plan", "we're here 24/7", "we will make sure".
Questions, requests and disclaimers ("we can't promise") are not. Pure: imports the message
model and the time-expression reader of this package.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum

from clearpact.gaps.messages import Message, split_reply
from clearpact.gaps.sentences import split_sentences
from clearpact.gaps.times import TimeTerm, find_time_term


class CommitmentKind(StrEnum):
    """What a commitment promises."""

    DELIVER_BY = "deliver_by"
    """Something done by a point in time: "fixed by Friday", "next business day"."""
    RESPONSE_TIME = "response_time"
    """A response, arrival, update or fix within a time: "on site within the hour"."""
    COVERAGE = "coverage"
    """What is included or charged: "that's covered under your plan", "free of charge"."""
    GUARANTEE = "guarantee"
    """An absolute: "always", "never", "guaranteed", "24/7"."""
    OTHER = "other"
    """Any other promise: "we will make sure the backups run"."""


class Measure(StrEnum):
    """What the promise is about; it decides which SLA the promise is compared with."""

    RESPONSE = "response"
    ARRIVAL = "arrival"
    FIX = "fix"
    UPDATE = "update"
    AVAILABILITY = "availability"
    DATA = "data"


@dataclass(frozen=True)
class Commitment:
    """One promise: the sentence as written (``text``, whitespace made single spaces), who sent
    it and when, and what was recognised in it.

    ``time`` is the time expression read from it; ``vague`` the words that promise speed or
    certainty without a measure ("quickly"); ``round_the_clock`` words about hours beyond office
    hours ("24/7", "at the weekend"); ``free`` words that waive a charge; ``negated`` is true for
    a coverage statement that says something is *not* included; ``guarantee`` the absolute word;
    ``context`` the sentences around it, where "that" in "that's included" may be found;
    ``only_available`` is true when it only says something is available, with no word that puts
    it in scope ("included", "covered").
    """

    text: str
    kind: CommitmentKind
    sender: str | None
    date: dt.datetime | None
    source: str = ""
    time: TimeTerm | None = None
    measure: Measure | None = None
    vague: str | None = None
    round_the_clock: str | None = None
    free: str | None = None
    negated: bool = False
    guarantee: str | None = None
    context: str = ""
    only_available: bool = False

    @property
    def time_expression(self) -> str | None:
        """The words that say when (or how reliably): the time expression, else the vague or
        round-the-clock words, else the absolute word; None when the promise has none."""
        if self.time is not None:
            return self.time.text
        return self.vague or self.round_the_clock or self.guarantee


def _words(*alternatives: str) -> str:
    return "(?:" + "|".join(alternatives) + ")"


_STAFF = _words(
    r"we",
    r"i",
    r"someone",
    r"somebody",
    r"one\s+of\s+(?:us|our\s+(?:team|engineers|technicians))",
    r"an?\s+(?:engineer|technician|tech|colleague|consultant|specialist)",
    r"(?:our|the)\s+(?:team|engineers?|technicians?|techs?|support(?:\s+team)?|service\s*desk|"
    r"help\s*desk|on-?call(?:\s+engineer)?|noc|soc|staff)",
)
_MODAL = (
    r"(?:'ll|'re\s+going\s+to|'m\s+going\s+to|\s+(?:definitely\s+|certainly\s+|also\s+|then\s+|"
    r"always\s+|still\s+)?(?:will|shall|can|am\s+going\s+to|are\s+going\s+to|is\s+going\s+to|"
    r"promise|guarantee|commit|undertake|aim|intend|plan|make\s+sure|ensure|(?:are|am|is)\s+"
    r"(?:sending|dispatching|arranging|coming|committed|aiming)))\b"
)
_PASSIVE = re.compile(
    r"(?:\b(?:it|this|that|they|these|everything|all|the\s+\w+(?:\s+\w+)?|your\s+\w+(?:\s+\w+)?|"
    r"an?\s+\w+(?:\s+\w+)?)\s*(?:'ll|\s+will|\s+should|\s+is\s+going\s+to)|^\s*(?:should|will))"
    r"\s+be\s+(?:\w+\s+)?(?:\w+ed|done|back|ready|up|working|set\s+up|with\s+you|there|on[- ]?site|"
    r"available|sent|shipped|run|built|taken\s+care|sorted\s+out|out|live)\b"
    r"|\b(?:is|are)\s+(?:scheduled|booked|planned|due|set)\s+(?:to|for)\b"
    r"|\b(?:we|i)(?:'ve|\s+have)\s+(?:scheduled|booked|arranged|planned)\b"
    r"|\blet\s+(?:me|us)\s+(?!know\b)(?:\w+\s+){0,6}?(?:get\s+back|check|look|find\s+out|confirm|"
    r"send|see|arrange|sort|fix)\b"
    r"|^\s*will\s+do\b|^\s*count\s+me\s+in\b",
    re.IGNORECASE,
)
_YOU_WILL = re.compile(
    r"\byou(?:'ll|\s+will|\s+should|\s+can\s+expect\s+to)\s+(?:\w+\s+)?(?:have|get|receive|hear|see|"
    r"be\s+(?:contacted|called|updated|notified|back))\b|\b(?:you\s+can\s+)?(?:expect|count\s+on|"
    r"rely\s+on)\s+(?:a|an|us|someone|our|me|it\s+to|to\s+(?:hear|have|see|get))\b"
    r"|\b(?:your|every|each|all)\s+(?:\w+\s+){0,2}?(?:tickets?|requests?|calls?|issues?|incidents?|"
    r"cases?|e-?mails?)(?:\s+will|'ll|\s+should)\s+(?:get|receive|be\s+(?:answered|acknowledged|"
    r"handled|picked\s+up|responded\s+to|looked\s+at))\b",
    re.IGNORECASE,
)
_POLICY = re.compile(
    r"\b(?:we|our\s+(?:team|engineers?|technicians?|support(?:\s+team)?|service\s*desk|help\s*desk|"
    r"staff|noc|soc))\s+(?:always\s+|usually\s+|normally\s+|typically\s+|generally\s+)?"
    r"(?:respond|reply|answer|aim|work|cover|offer|provide|monitor|guarantee|promise|commit|fix|"
    r"resolve|get\s+back|call\s+back|arrive|attend|pick\s+up|acknowledge|include|"
    r"(?:are|is|'re)\s+(?:always\s+)?(?:available|on[- ]call|here|open|staffed|reachable|there))\b"
    r"|\b(?:response|resolution|fix|turnaround|reply|arrival)\s+times?\s+(?:is|are|will\s+be)\b"
    r"|\b(?:we(?:'re|\s+are)|(?:our|the)\s+(?:team|engineers?|technicians?|support(?:\s+team)?|"
    r"service\s*desk|help\s*desk|helpdesk|staff|noc|soc)\s+(?:is|are))\s+(?:always\s+)?(?:available|"
    r"on[- ]call|here|open|staffed|reachable|there|monitoring|watching)\b",
    re.IGNORECASE,
)
_COVERAGE = re.compile(
    r"(?:\b(?:is|are|'s|'re|will\s+be|would\s+be)\s+(?:fully\s+|all\s+|also\s+|definitely\s+|"
    r"certainly\s+)?(?:included|covered|in\s+scope)\b|\b(?:included|covered)\s+(?:in|under|by|as\s+"
    r"part\s+of)\s+(?:your|the|our)\b|\bpart\s+of\s+(?:your|the)\s+(?:plan|contract|agreement|"
    r"package|subscription|service|support|fee|monthly\s+fee)\b|\bcomes?\s+with\s+your\b|"
    r"\bwe\s+(?:do\s+)?cover\b|\bfalls?\s+(?:under|within)\s+(?:your|the)\s+(?:plan|contract|"
    r"agreement|scope)\b)",
    re.IGNORECASE,
)
_AVAILABLE = re.compile(
    r"(?<!\bwe\s)(?<!\bi\s)(?<!\byou\s)\b(?:is|are|will\s+be|being\s+made|remains?)\s+(?:also\s+|now\s+)?"
    r"(?:made\s+)?available\b(?!\s+to\s+(?:discuss|talk|meet|chat|answer))",
    re.IGNORECASE,
)
"""Something the sender's side makes available ("the portal will be available from Monday"):
coverage, though it names no scope to check (an offer to talk is not)."""
_NOT_COVERED = re.compile(
    r"\b(?:not|isn't|aren't|won't\s+be|wouldn't\s+be|never)\s+(?:\w+\s+)?(?:included|covered|in\s+"
    r"scope|part\s+of|free)\b|\b(?:outside|out\s+of|beyond)\s+(?:the\s+|your\s+|our\s+)?(?:scope|"
    r"agreement|contract|plan)\b|\bexcluded\b|\b(?:chargeable|billable)\b|\bcharged\s+(?:separately|"
    r"extra|at)\b|\bextra\s+(?:cost|charge)\b|\b(?:a|our|written)\s+quote\b",
    re.IGNORECASE,
)
_FREE = re.compile(
    r"\b(?:free\s+of\s+(?:charge|cost)|for\s+free|at\s+no\s+(?:extra\s+|additional\s+)?(?:cost|"
    r"charge)|no\s+(?:extra\s+|additional\s+)?(?:charge|cost)|without\s+(?:any\s+)?(?:extra\s+)?"
    r"charge|(?:won't|will\s+not|wouldn't|don't|do\s+not)\s+(?:\w+\s+)?(?:charge|bill|invoice)|"
    r"on\s+the\s+house|complimentary|free\s+(?:upgrade|installation|set-?up|training|visit))\b",
    re.IGNORECASE,
)
_GUARANTEE = re.compile(
    r"\b(?:always|never|guarantee[sd]?|100\s?%|without\s+fail|no\s+matter\s+what|every\s+(?:single\s+)?"
    r"time|under\s+any\s+circumstances)(?!\w)",
    re.IGNORECASE,
)
_ROUND_THE_CLOCK = re.compile(
    r"\b(?:24\s*/\s*7(?:\s*/\s*365)?|24\s*x\s*7|24\s+hours\s+a\s+day|(?:a)?round[- ]the[- ]clock|"
    r"day\s+(?:or|and)\s+night|any\s+time\s+of\s+(?:the\s+)?(?:day|night)|365\s+days|"
    r"(?:at|over|during)\s+(?:the\s+)?weekends?|on\s+(?:the\s+)?weekends?|weekends|"
    r"out\s+of\s+(?:business\s+|office\s+)?hours|after[- ]hours|outside\s+(?:of\s+)?(?:business|office|"
    r"working)\s+hours|overnight|(?:in\s+the\s+|this\s+)?evenings?|bank\s+holidays?|public\s+holidays?|"
    r"(?<!by\s)(?<!before\s)(?<!until\s)(?:on\s+|this\s+)?(?:saturday|sunday)|midnight|"
    r"(?<!by\s)(?<!before\s)tonight)\b",
    re.IGNORECASE,
)
_VAGUE = re.compile(
    r"\b(?:asap|a\.s\.a\.p|as\s+soon\s+as\s+(?:possible|we\s+can|i\s+can|practicable|we're\s+able)|"
    r"soon|shortly|quickly|quick|fast|right\s+away|straight\s+away|immediately|promptly|at\s+once|"
    r"in\s+no\s+time|(?:top|highest|high)\s+priority|urgently|in\s+a\s+(?:bit|while|moment|jiffy)|"
    r"(?:within|in)\s+(?:a\s+few|the\s+next\s+few|several)\s+(?:minutes|hours|days)|"
    r"within\s+(?:minutes|hours|days)|(?:at\s+)?the\s+earliest\s+opportunity|in\s+due\s+course|"
    r"(?:do|doing)\s+(?:our|my)\s+(?:very\s+)?best|best\s+efforts?|without\s+delay|"
    r"(?:make\s+sure|ensure)\s+(?:this|it)\s+(?:never|doesn't|does\s+not|won't)\s+happen)\b",
    re.IGNORECASE,
)
_MEASURES: list[tuple[Measure, re.Pattern[str]]] = [
    (
        Measure.DATA,
        re.compile(
            r"\b(?:(?:never|not|won't|will\s+not)\s+(?:\w+\s+)?lose|no\s+data\s+loss|data\s+(?:is|will\s+be)"
            r"\s+(?:safe|protected)|lose\s+(?:any\s+)?(?:data|files?|e-?mails?|work)|(?:data|files?|"
            r"e-?mails?|work)\b[^.;]{0,30}\b(?:never|not|won't)\s+(?:\w+\s+)?(?:be\s+)?lost)\b",
            re.I,
        ),
    ),
    (
        Measure.AVAILABILITY,
        re.compile(
            r"\b(?:uptime|downtime|go(?:es)?\s+down|be\s+down|outages?|(?:always|constantly)\s+(?:be\s+)?"
            r"(?:up|online|running)|never\s+(?:fail|crash|go\s+offline)|100\s?%\s+availab\w*|"
            r"(?:server|system|network|site|service|internet|e-?mail)s?\s+(?:will\s+)?(?:always\s+)?"
            r"(?:be\s+)?(?:available|up|online))\b",
            re.I,
        ),
    ),
    (
        Measure.UPDATE,
        re.compile(
            r"\b(?:update\s+you|keep\s+you\s+(?:posted|updated|informed)|(?:status|progress)\s+updates?|"
            r"updates?\s+every|every\s+\d+\s+(?:minutes|hours))\b",
            re.I,
        ),
    ),
    (
        Measure.ARRIVAL,
        re.compile(
            r"\b(?:on[- ]?site|onsite|arrive(?!\s+at\s+(?:a|an|the)\s+(?:solution|decision|conclusion|"
            r"agreement|figure|number|price))|arrival|be\s+(?:there|with\s+you|at\s+your)|come\s+(?:over|"
            r"by|out|round|in)|visit|send\s+(?:someone|somebody|an?\s+(?:engineer|technician|tech))|"
            r"dispatch\w*|drive\s+over|pop\s+(?:over|in|round)|have\s+(?:someone|somebody|an?\s+"
            r"(?:engineer|technician|tech)|one\s+of\s+(?:us|our\s+\w+))\s+(?:there|with\s+you|at\s+your))\b",
            re.I,
        ),
    ),
    (
        Measure.FIX,
        re.compile(
            r"\b(?:fix(?:ed)?|resolv(?:e|ed)|resolution|sort(?:ed)?|restor(?:e|ed)|repair(?:ed)?|solv(?:e|ed)|"
            r"back\s+(?:up|online|to\s+normal)|up\s+and\s+running|working\s+again|replace[ds]?|"
            r"replacement|deliver(?:ed)?|install(?:ed)?|set\s+up|ready|done|complete[ds]?|finish(?:ed)?|"
            r"ship(?:ped)?|configured?|migrat(?:e|ed|ion)|recover(?:ed)?|have\s+it\s+(?:to\s+you|back)|"
            r"handled|take[ns]?\s+care\s+of)\b",
            re.I,
        ),
    ),
    (
        Measure.RESPONSE,
        re.compile(
            r"\b(?:respond(?:ed)?|response|reply|replies|get\s+back|call\s+(?:you\s+)?back|callback|"
            r"call-back|ring\s+you|call\s+you|contact\s+you|be\s+in\s+touch|get\s+in\s+touch|"
            r"hear\s+(?:back\s+)?from|acknowledged?|answer(?:ed)?|pick(?:ed)?\s+(?:it\s+)?up|look\s+(?:at|into)|take\s+a\s+look|have\s+a\s+look|"
            r"investigate|triage)\b",
            re.I,
        ),
    ),
]
_TIMED = {Measure.RESPONSE, Measure.ARRIVAL, Measure.FIX, Measure.UPDATE}
_DISCLAIMER = re.compile(
    r"\b(?:can't|cannot|can\s+not|couldn't|won't\s+be\s+able\s+to|unable\s+to|not\s+able\s+to)\s+"
    r"(?:\w+\s+){0,2}(?:promise|guarantee|commit|say|confirm|give\s+(?:you\s+)?an?\s+(?:eta|time))\b|"
    r"\bno\s+guarantee\b|\bnot\s+guaranteed\b",
    re.IGNORECASE,
)
_REQUEST = re.compile(
    r"^\s*(?:please|could\s+you|can\s+you|would\s+you|will\s+you|do\s+you|did\s+you|are\s+you|"
    r"let\s+(?:me|us)\s+know)\b",
    re.IGNORECASE,
)
_REPLY = re.compile(
    r"\b(?:respond|reply|answer|get\s+back|call\s+(?:you\s+)?back|let\s+(?:you|him|her|them)\s+know|"
    r"look\s+into|find\s+out|check\s+(?:on|into|it|that|this)|have\s+it\s+checked|"
    r"follow\s+up|investigate|be\s+(?:there|on[- ]?site|with\s+you)|"
    r"(?:booked|scheduled|arranged)\s+(?:an?\s+)?(?:engineer|technician|tech|visit))\b",
    re.IGNORECASE,
)
"""The words of a response-time promise (LABELLING.md C.2): to reply, get back, call back, let
the recipient know, look into it, or arrive."""
_DELIVER = re.compile(
    r"\b(?:send|sent|deliver|provide|prepare|complete|finish|forward|fax|e-?mail\s+(?:you|it|them)|"
    r"ship|draft|put\s+together|fill\s+in|add|upload|post|submit|distribut\w+|publish|include|"
    r"make\s+(?:a\s+)?cop(?:y|ies)|save\s+(?:it\s+)?as|e-?mail\s+(?:you\s+)?(?:the\s+)?instructions|"
    r"get\s+(?:you|it|them|this|that|"
    r"the\s+\w+)\s+(?:to\s+you|a|an|the|over|out|done|ready|back)|give\s+(?:you|him|her|them)\s+"
    r"(?:a|an|the)\s+(?:copy|draft|list|file|report|confirmation|quote|update)|have\s+(?:it|them|"
    r"the\s+\w+)\s+(?:to\s+you|ready|done|over)|set\s+up|install(?:ed)?|do\s+(?:it|that|this)|"
    r"(?:be|is|are)\s+(?:\w+\s+)?(?:done|ready|completed?|finished|deployed|delivered|shipped|live))\b",
    re.IGNORECASE,
)
"""The words of a promise to deliver (LABELLING.md C.2): to send, deliver, provide, prepare or
complete something."""
_THEN_I_WILL = re.compile(
    r"\b(?:and|then|,)\s+(?:i|we)(?:'ll|\s+will|\s+can|\s+shall)\b", re.IGNORECASE
)
"""A request followed by the sender's undertaking: "Let me know … and I can send you a copy"
(a conditional undertaking, LABELLING.md C.2)."""
_NOT_A_PROMISE = re.compile(
    r"\b(?:i|we)(?:'ll|'m|'re|\s+will|\s+am|\s+are)\s+(?:also\s+|still\s+)?(?:try(?:ing)?\s+to|"
    r"hop(?:e|ing)\s+to|have\s+to\s+(?:wait|see)|be\s+(?:in(?!\s+(?:touch|contact))|out|away|off|busy|around|travell?ing|"
    r"taking|on\s+(?:vacation|holiday|leave|my\s+cell(?:\s+phone)?|the\s+road)|in\s+the\s+office|"
    r"out\s+of\s+the\s+office)\b|going\s+to\s+be\s+(?:very\s+)?(?:busy|out|away|off))"
    r"|\b(?:i|we)\s+(?:think|believe|guess|hope|suppose)\s+(?:that\s+)?(?:i|we|it|this|they)\b"
    r"|\bhopefully\b|\b(?:i|we)(?:'ll|\s+will)\s+need\b|\b(?:i|we)(?:'ll|\s+will)\s+be\s+back\b"
    r"|\b(?:i|we)\s+can\s+be\s+reached\b"
    r"|\b(?:i|we)(?:'m|'re|\s+am|\s+are)\s+(?:also\s+)?(?:available|free|happy)\s+to\s+"
    r"(?:discuss|talk|meet|chat|answer)\b"
    r"|\b(?:i|we)\s+(?:may|might|could|would\s+like\s+to|should\s+be\s+able\s+to)\b"
    r"|\byou(?:'ll|\s+will)\s+(?:also\s+|then\s+)?(?:have\s+to|need\s+to|be\s+(?:asked|required|"
    r"prompted|directed|redirected))\b"
    r"|\byou\s+should\s+(?:already\s+)?have\s+(?:received|been|gotten|got|access)\b",
    re.IGNORECASE,
)
"""Not a commitment (LABELLING.md C.2): a hedged intention ("I will try to", "we hope to", "we
might"), one's own whereabouts or availability ("I will be out of the office", "I'll be on my
cell"), a belief ("I think we can get this deal"), or what the reader must do or should already
have ("you will have to enter your PIN", "you should have received a copy")."""
_FUTURE_ANYWHERE = re.compile(r"(?:'ll|\bwill\b|\bshall\b|\bgoing\s+to\b)", re.IGNORECASE)


def _plain(text: str) -> str:
    """Typographic apostrophes as ASCII, so "we’ll" matches like "we'll"."""
    return text.replace("’", "'").replace("‘", "'")


def _promise_pattern(provider: str | None) -> re.Pattern[str]:
    names = [_STAFF]
    if provider:
        words = provider.split()
        names += [re.escape(provider), re.escape(words[0])]
    return re.compile(r"\b" + _words(*names) + _MODAL, re.IGNORECASE)


def _measure(sentence: str, term_at: int | None, *, absolute: bool) -> Measure | None:
    """What the sentence promises: the measure named nearest the time expression, else the
    first found (availability and data first for absolutes such as "never")."""
    found: list[tuple[int, Measure]] = []
    for measure, pattern in _MEASURES:
        if not absolute and measure in (Measure.AVAILABILITY, Measure.DATA):
            continue
        for match in pattern.finditer(sentence):
            found.append((match.start(), measure))
    if not found:
        return None
    if absolute:
        for measure in (Measure.DATA, Measure.AVAILABILITY):
            if any(m is measure for _, m in found):
                return measure
    if term_at is None:
        order = [Measure.ARRIVAL, Measure.FIX, Measure.UPDATE, Measure.RESPONSE]
        present = {m for _, m in found}
        return next((m for m in order if m in present), found[0][1])
    return min(found, key=lambda item: (abs(item[0] - term_at), item[0] > term_at))[1]


def _found(pattern: re.Pattern[str], text: str) -> str | None:
    match = pattern.search(text)
    return match.group(0).strip() if match else None


def read_commitment(
    sentence: str,
    message: Message,
    *,
    provider: str | None = None,
    context: str = "",
) -> Commitment | None:
    """The commitment in one sentence of ``message``'s new text, or None when it promises
    nothing (a question, a request, a disclaimer, a report of what was done)."""
    plain = _plain(sentence)
    request = _REQUEST.match(plain) and not _THEN_I_WILL.search(plain)
    if plain.rstrip().endswith("?") or request or _DISCLAIMER.search(plain):
        return None
    hedge = _NOT_A_PROMISE.search(plain)
    if hedge:
        # the hedge takes back its own promise, not another one in the same sentence ("I will
        # send the file today; we may meet next week" still promises the file)
        rest = plain[: hedge.start()] + " " * (hedge.end() - hedge.start()) + plain[hedge.end() :]
        patterns = (_promise_pattern(provider), _PASSIVE, _YOU_WILL, _POLICY)
        if _NOT_A_PROMISE.search(rest) or not any(p.search(rest) for p in patterns):
            return None
        plain = rest
    promises = [
        match.start()
        for pattern in (_promise_pattern(provider), _PASSIVE, _YOU_WILL, _POLICY)
        if (match := pattern.search(plain))
    ]
    promise = bool(promises)
    included = bool(_COVERAGE.search(plain))
    available = bool(_AVAILABLE.search(plain))
    covered = included or available
    not_covered = bool(_NOT_COVERED.search(plain)) and (covered or promise)
    free = _found(_FREE, plain)
    if free and re.search(r"\bnot\s+free\b|\bisn't\s+free\b", plain, re.I):
        free, not_covered = None, True
    absolute = _found(_GUARANTEE, plain)
    clock = _found(_ROUND_THE_CLOCK, plain)
    committed = promise or covered or not_covered or free is not None
    assured = (absolute or clock) and (
        promise or _FUTURE_ANYWHERE.search(plain) or _POLICY.search(plain)
    )
    if not committed and not assured:
        return None
    # The time that goes with the promise: the first after its words ("the part ships today
    # and we will install it tomorrow" promises tomorrow), else the first in the sentence.
    after = min(promises, default=0)
    term = find_time_term(plain[after:], message.date) if after else None
    term = term or find_time_term(plain, message.date)
    term_at = plain.find(term.text) if term else None
    measure = _measure(plain, term_at, absolute=absolute is not None)
    vague = None if term else _found(_VAGUE, plain)
    timed = term is not None or vague is not None
    if covered or not_covered or free:
        kind = CommitmentKind.COVERAGE
    elif _REPLY.search(plain) or (timed and measure in (Measure.ARRIVAL, Measure.RESPONSE)):
        kind = CommitmentKind.RESPONSE_TIME
    elif _DELIVER.search(plain):
        kind = CommitmentKind.DELIVER_BY
    elif measure is Measure.FIX:
        kind = CommitmentKind.RESPONSE_TIME
    elif absolute or clock:
        kind = CommitmentKind.GUARANTEE
    else:
        kind = CommitmentKind.OTHER
    return Commitment(
        text=sentence,
        kind=kind,
        sender=message.sender,
        date=message.date,
        source=message.source,
        time=term,
        measure=measure,
        vague=vague,
        round_the_clock=clock,
        free=free,
        negated=not_covered,
        guarantee=absolute,
        context=context,
        only_available=available and not (included or not_covered),
    )


def find_commitments(message: Message, *, provider: str | None = None) -> list[Commitment]:
    """Every commitment in the sender's new text of ``message``, in order, one per sentence.

    Quoted replies, forwarded text and the signature are set aside first
    (:func:`~clearpact.gaps.messages.split_reply`), so nothing quoted is attributed to the
    sender. ``provider`` (the provider's name) also counts as a promising subject
    ("Brightline will …"). Time expressions are read relative to the message's date.

    >>> from clearpact.gaps.messages import Message
    >>> found = find_commitments(Message("Hi Tomas,\\n\\nWe'll sort it quickly.\\n\\n> Can you help?"))
    >>> [(c.text, c.kind.value, c.vague) for c in found]
    [("We'll sort it quickly.", 'response_time', 'quickly')]
    """
    reply = split_reply(message.body)
    sentences = split_sentences(reply.new_text)
    found = []
    for index, sentence in enumerate(sentences):
        context = " ".join(sentences[max(0, index - 1) : index + 2])
        commitment = read_commitment(sentence, message, provider=provider, context=context)
        if commitment is not None:
            found.append(commitment)
    return found

"""Statuses and kinds of the consultation app, and the consultation case kind's transitions.

A consultation is "answered" as a closed status on purpose: an answered question needs nothing
from an agent, so it leaves the work queue; a follow-up (or "ask a person") reopens it.
"""

from django.db import models

from insuredesk.casework.registry import ClockSpec


class ConsultationStatus(models.TextChoices):
    ASKED = "asked", "Asked"  # just received, before the answer engine has looked at it
    AWAITING_AGENT = "awaiting_agent", "Waiting for an agent"  # in the agents' queue
    ANSWERED = "answered", "Answered"  # an answer (automatic or an agent's) is with the customer
    CLOSED = "closed", "Closed"  # finished; no further follow-up on this thread


TRANSITIONS = {
    ConsultationStatus.ASKED: {
        ConsultationStatus.ANSWERED,
        ConsultationStatus.AWAITING_AGENT,
        ConsultationStatus.CLOSED,
    },
    ConsultationStatus.AWAITING_AGENT: {ConsultationStatus.ANSWERED, ConsultationStatus.CLOSED},
    ConsultationStatus.ANSWERED: {
        ConsultationStatus.AWAITING_AGENT,  # a follow-up the engine cannot answer, or a person
        ConsultationStatus.CLOSED,
    },
    ConsultationStatus.CLOSED: set(),
}

CLOSED_STATUSES = {ConsultationStatus.ANSWERED, ConsultationStatus.CLOSED}

# No law sets a period for answering a consultation (CA-03 is the reply to a *claimant*, not a
# prospect's question), so the answer clock runs under the insurer's own service standard SVC-01
# (2 business days, status U: a deployment changes it with INSUREDESK_RULE_OVERRIDES).
# It starts when the question is asked ("asked", the case's first event) and again when an
# answered thread goes back to the agents ("awaiting_agent"); the first hand-over to the queue
# is recorded as "queued" so the clock keeps counting from the question. An answer, automatic
# or an agent's, or closing the thread stops it.
ANSWER_CLOCK_RULE = "SVC-01"
CLOCKS = [
    ClockSpec(
        "answer",
        "Answer the question",
        rules={"CN": ANSWER_CLOCK_RULE, "GB": ANSWER_CLOCK_RULE, "US-CA": ANSWER_CLOCK_RULE},
        starts_on={"asked", "awaiting_agent"},
        stops_on={"answered", "closed"},
    )
]


class MessageKind(models.TextChoices):
    QUESTION = "question", "Question"  # from the customer (first question or follow-up)
    ANSWER = "answer", "Answer"  # from the answer engine or an agent


class SourceRole(models.TextChoices):
    CITED = "cited", "Cited"  # the answer rests on it; shown to the customer with a link
    SUGGESTED = "suggested", "Suggested"  # the engine proposed it to the agent


class Origin(models.TextChoices):
    PORTAL = "portal", "Portal"
    API = "api", "API"
    LECTURE = "lecture", "Lecture follow-up"  # an attendee asked an agent to contact them
    VISIT = "visit", "Visit follow-up"  # the customer asked an agent a question at a visit


class ArticleStatus(models.TextChoices):
    DRAFT = "draft", "Draft"  # written or promoted, not yet checked
    REVIEWED = "reviewed", "Reviewed"  # checked by a second person, not yet public
    PUBLISHED = "published", "Published"  # in the answer index, shown to customers


class Language(models.TextChoices):
    EN = "en", "English"
    ZH = "zh", "中文"


class Channel(models.TextChoices):
    IN_PERSON = "in_person", "In person"
    PHONE = "phone", "Phone"
    VIDEO = "video", "Video"
    ONLINE = "online", "Online (guided explanation page)"  # CN-03: web page explanation


class AcknowledgementMethod(models.TextChoices):
    PORTAL = "portal", "Confirmed by the signed-in customer"
    SIGNED_FORM = "signed_form", "Signed form uploaded"
    RECORDING = "recording", "Audio or video recording uploaded"


class RegistrationStatus(models.TextChoices):
    REGISTERED = "registered", "Registered"  # holds a seat
    WAITING = "waiting", "On the waiting list"  # gets a seat when one is freed
    CANCELLED = "cancelled", "Cancelled"


class LectureStatus(models.TextChoices):
    PUBLISHED = "published", "Published"  # open for registration
    CANCELLED = "cancelled", "Cancelled"

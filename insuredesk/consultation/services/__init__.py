"""Every write of the consultation app, one function per business operation.

Split by topic: consultations, the knowledge base, clause explanation evidence, lectures.
"""

from insuredesk.consultation.services.consultations import (
    Asked,
    answer_consultation,
    ask_for_person,
    ask_question,
    close_consultation,
    follow_up,
    open_follow_up_task,
    promote_answer,
    rate_answer,
)
from insuredesk.consultation.services.explanations import acknowledge_online, record_explanation
from insuredesk.consultation.services.knowledge import (
    ImportRejected,
    create_article,
    export_articles,
    import_articles,
    publish_article,
    review_article,
    update_article,
    withdraw_article,
)
from insuredesk.consultation.services.lectures import (
    cancel_lecture,
    cancel_registration,
    publish_lecture,
    record_attendance,
    register_for_lecture,
    send_lecture_reminders,
)

__all__ = [
    "Asked",
    "ImportRejected",
    "acknowledge_online",
    "answer_consultation",
    "ask_for_person",
    "ask_question",
    "cancel_lecture",
    "cancel_registration",
    "close_consultation",
    "create_article",
    "export_articles",
    "follow_up",
    "import_articles",
    "open_follow_up_task",
    "promote_answer",
    "publish_article",
    "publish_lecture",
    "rate_answer",
    "record_attendance",
    "record_explanation",
    "register_for_lecture",
    "review_article",
    "send_lecture_reminders",
    "update_article",
    "withdraw_article",
]

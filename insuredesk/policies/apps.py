from django.apps import AppConfig


class PoliciesConfig(AppConfig):
    name = "insuredesk.policies"
    label = "policies"

    def ready(self) -> None:
        from insuredesk.casework.registry import CaseKind, register
        from insuredesk.policies.choices import (
            VISIT_CLOSED_STATUSES,
            VISIT_TRANSITIONS,
            VisitStatus,
        )
        from insuredesk.policies.visiting import KIND, VISIT_CLOCKS

        # A regular visit is a case: its status moves by compare-and-set with an event each
        # time (the customer's timeline shows them), and its clock (SVC-03) puts it in the
        # agents' queues by the day it is due.
        register(
            CaseKind(
                kind=KIND,
                prefix="VIS",
                label="Visit",
                initial_status=VisitStatus.PLANNED,
                transitions=VISIT_TRANSITIONS,
                closed_statuses=VISIT_CLOSED_STATUSES,
                clocks=list(VISIT_CLOCKS.values()),
                status_labels=dict(VisitStatus.choices),
                console_url="console:visit",
                portal_url="portal:visit",
            )
        )

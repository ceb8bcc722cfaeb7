from django.apps import AppConfig


class PoliciesConfig(AppConfig):
    name = "insuredesk.policies"
    label = "policies"

    def ready(self) -> None:
        from insuredesk.casework.registry import CaseKind, register
        from insuredesk.policies import choices
        from insuredesk.policies.visiting import KIND, VISIT_CLOCKS

        # A regular visit is a case: its status moves by compare-and-set with an event each
        # time (the customer's timeline shows them), and its clock (SVC-03) puts it in the
        # agents' queues by the day it is due.
        register(
            CaseKind(
                kind=KIND,
                prefix="VIS",
                label="Visit",
                initial_status=choices.VisitStatus.PLANNED,
                transitions=choices.VISIT_TRANSITIONS,
                closed_statuses=choices.VISIT_CLOSED_STATUSES,
                clocks=list(VISIT_CLOCKS.values()),
                status_labels=dict(choices.VisitStatus.choices),
                console_url="console:visit",
                portal_url="portal:visit",
            )
        )
        # A policy's premiums in arrears, from the demand notice to the outcome (IL Arts. 36-37).
        register(
            CaseKind(
                kind="arrears",
                prefix="ARR",
                label="Premium arrears",
                initial_status=choices.ArrearsStatus.DEMANDED,
                transitions=choices.ARREARS_TRANSITIONS,
                closed_statuses=choices.ARREARS_CLOSED,
                clocks=choices.ARREARS_CLOCKS,
                status_labels=dict(choices.ArrearsStatus.choices),
                console_url="console:arrears",
                portal_url="portal:arrears",
            )
        )
        # A policy surrendered after the cooling-off period, from the notice to the refund
        # (CN-14, IL Art. 47).
        register(
            CaseKind(
                kind="surrender",
                prefix="SUR",
                label="Surrender",
                initial_status=choices.SurrenderStatus.REFUND_DUE,
                transitions=choices.SURRENDER_TRANSITIONS,
                closed_statuses=choices.SURRENDER_CLOSED,
                clocks=choices.SURRENDER_CLOCKS,
                status_labels=dict(choices.SurrenderStatus.choices),
                console_url="console:surrender",
                portal_url="portal:surrender",
            )
        )

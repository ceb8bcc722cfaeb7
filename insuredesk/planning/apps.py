from django.apps import AppConfig


class PlanningConfig(AppConfig):
    name = "insuredesk.planning"
    label = "planning"
    verbose_name = "Risk planning"

    def ready(self) -> None:
        from insuredesk.casework.registry import CaseKind, register
        from insuredesk.planning.choices import (
            CLOCKS,
            CLOSED_STATUSES,
            TRANSITIONS,
            ProposalStatus,
        )

        register(
            CaseKind(
                kind="proposal",
                prefix="PRP",
                label="Written proposal",
                initial_status=ProposalStatus.REQUESTED,
                transitions=TRANSITIONS,
                closed_statuses=CLOSED_STATUSES,
                clocks=CLOCKS,
                status_labels=dict(ProposalStatus.choices),
                console_url="console:proposal",
                portal_url="portal:proposal",
            )
        )

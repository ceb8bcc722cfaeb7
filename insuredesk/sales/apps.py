from django.apps import AppConfig


class SalesConfig(AppConfig):
    name = "insuredesk.sales"
    label = "sales"
    verbose_name = "Sales"

    def ready(self) -> None:
        from insuredesk.casework.registry import CaseKind, register
        from insuredesk.sales.choices import (
            CLOCKS,
            CLOSED_STATUSES,
            TRANSITIONS,
            ApplicationStatus,
        )

        register(
            CaseKind(
                kind="application",
                prefix="APP",
                label="Application",
                initial_status=ApplicationStatus.SUBMITTED,
                transitions=TRANSITIONS,
                closed_statuses=CLOSED_STATUSES,
                clocks=CLOCKS,
                status_labels=dict(ApplicationStatus.choices),
                console_url="console:application",
                portal_url="portal:application",
            )
        )

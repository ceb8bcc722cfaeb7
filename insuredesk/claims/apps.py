from django.apps import AppConfig


class ClaimsConfig(AppConfig):
    name = "insuredesk.claims"
    label = "claims"

    def ready(self) -> None:
        from insuredesk.casework.registry import CaseKind, register
        from insuredesk.claims import choices

        register(
            CaseKind(
                kind="claim",
                prefix="CLM",
                label="Claim",
                initial_status=choices.ClaimStatus.REPORTED,
                transitions=choices.TRANSITIONS,
                closed_statuses=choices.CLOSED_STATUSES,
                clocks=choices.CLOCKS,
                status_labels=dict(choices.ClaimStatus.choices),
                console_url="console:claim-detail",
                portal_url="portal:claim-detail",
            )
        )
        register(
            CaseKind(
                kind="claim_dispute",
                prefix="DSP",
                label="Claim dispute",
                initial_status=choices.DisputeStatus.OPEN,
                transitions=choices.DISPUTE_TRANSITIONS,
                closed_statuses=choices.DISPUTE_CLOSED,
                status_labels=dict(choices.DisputeStatus.choices),
                console_url="console:claim-dispute",
                portal_url="portal:claim-dispute",
            )
        )

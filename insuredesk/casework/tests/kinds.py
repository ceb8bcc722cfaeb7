"""A case kind declared only for these tests, the way a domain app declares its own."""

from insuredesk.casework.registry import CaseKind, ClockSpec, register

TEST_KIND = register(
    CaseKind(
        kind="test_claim",
        prefix="TST",
        label="Test claim",
        initial_status="reported",
        transitions={
            "reported": {"assessing", "withdrawn"},
            "assessing": {"decided", "reported"},
            "decided": {"closed"},
        },
        closed_statuses={"closed", "withdrawn"},
        clocks=[
            ClockSpec(
                "decision",
                "Decide the claim",
                rules={"CN": "CN-19", "US-CA": "CA-05"},
                starts_on={"opened"},
                stops_on={"decided"},
                pauses_on={"documents_requested"},
                resumes_on={"documents_received"},
            ),
            ClockSpec(
                "refusal_notice",
                "Send the refusal notice",
                rules={"CN": "CN-22"},
                starts_on={"refusal_decided"},
                stops_on={"refusal_notice_sent"},
            ),
        ],
    )
)

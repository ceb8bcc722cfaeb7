"""Policies, their beneficiaries and premium schedule; payments, arrears and reinstatement;
regular visits."""

import uuid
from decimal import Decimal

from django.db import models
from django.db.models import Q

from insuredesk.policies.choices import (
    BeneficiaryRelation,
    FollowUpAction,
    InstalmentStatus,
    PaymentMethod,
    PolicyStatus,
    PremiumFrequency,
    ReinstatementDecision,
    VisitChannel,
    VisitNeed,
    VisitOutcome,
    VisitPurpose,
)


class Policy(models.Model):
    """An insurance contract written on one product version.

    The policyholder concluded it and pays; the insured is the person or property covered
    (details in `insured_*` and `risk_details`); the jurisdiction decides every deadline.
    """

    number = models.CharField(max_length=30, unique=True)
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    product_version = models.ForeignKey(
        "catalog.ProductVersion", on_delete=models.PROTECT, related_name="policies"
    )
    policyholder = models.ForeignKey(
        "customers.CustomerProfile", on_delete=models.PROTECT, related_name="policies"
    )
    insured_name = models.CharField(max_length=200)
    insured_date_of_birth = models.DateField(null=True, blank=True)
    risk_details = models.JSONField(
        default=dict,
        blank=True,
        help_text="What is insured: vehicle (make, plate, value), building (address, "
        "construction, value) or the life insured's details.",
    )
    sum_insured = models.DecimalField(max_digits=14, decimal_places=2)
    currency = models.CharField(max_length=3, default="CNY")
    premium = models.DecimalField(
        max_digits=12, decimal_places=2, help_text="Premium per instalment."
    )
    premium_frequency = models.CharField(
        max_length=10, choices=PremiumFrequency.choices, default=PremiumFrequency.ANNUAL
    )
    start_date = models.DateField()
    end_date = models.DateField()
    status = models.CharField(
        max_length=20, choices=PolicyStatus.choices, default=PolicyStatus.IN_FORCE
    )
    status_changed_at = models.DateTimeField(null=True, blank=True)
    jurisdiction = models.CharField(max_length=10, default="CN")
    issued_at = models.DateTimeField()
    agent = models.ForeignKey(
        "auth.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-start_date", "number"]
        verbose_name_plural = "policies"
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gt=models.F("start_date")), name="policy_ends_after_it_starts"
            ),
            models.CheckConstraint(condition=Q(sum_insured__gt=0), name="sum_insured_positive"),
            models.CheckConstraint(condition=Q(premium__gte=0), name="premium_not_negative"),
        ]
        indexes = [models.Index(fields=["policyholder", "status"])]

    def __str__(self) -> str:
        return self.number

    def risk_facts(self) -> list[tuple[str, str]]:
        """What is insured, as label/value pairs for display (the rating record aside)."""
        return [
            (key.replace("_", " ").capitalize(), str(value))
            for key, value in self.risk_details.items()
            if key not in ("rating", "rating_inputs") and not isinstance(value, dict | list)
        ]

    def premium_lines(self) -> list[dict]:
        """The premium's breakdown as rated at issue, e.g. "Building 3,000,000 x 0.45‰"."""
        rating = self.risk_details.get("rating")
        return rating.get("lines", []) if isinstance(rating, dict) else []

    def covers(self, day) -> bool:
        """Whether the policy's term includes the day (status is checked separately)."""
        return self.start_date <= day <= self.end_date


class Beneficiary(models.Model):
    """Who receives the benefit on the insured's death, and in what share."""

    policy = models.ForeignKey(Policy, on_delete=models.CASCADE, related_name="beneficiaries")
    full_name = models.CharField(max_length=200)
    relation = models.CharField(max_length=10, choices=BeneficiaryRelation.choices)
    share_percent = models.DecimalField(max_digits=5, decimal_places=2, default=Decimal("100"))

    class Meta:
        ordering = ["policy", "id"]
        verbose_name_plural = "beneficiaries"
        constraints = [
            models.CheckConstraint(
                condition=Q(share_percent__gt=0) & Q(share_percent__lte=100),
                name="beneficiary_share_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.share_percent}%)"


class PremiumInstalment(models.Model):
    """One premium due under a policy's schedule, whether it has been paid, and what we told
    the policyholder about it: the reminder before it fell due (SVC-11) and, once overdue, the
    premium demand notice with the last day of cover while it stays unpaid (CN-15, IL Art. 36).
    """

    policy = models.ForeignKey(Policy, on_delete=models.CASCADE, related_name="instalments")
    due_date = models.DateField()
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    status = models.CharField(
        max_length=10, choices=InstalmentStatus.choices, default=InstalmentStatus.DUE
    )
    paid_at = models.DateTimeField(null=True, blank=True)
    payment_reference = models.CharField(max_length=60, blank=True)
    reminded_at = models.DateTimeField(
        null=True, blank=True, help_text="When the reminder before the due date was sent."
    )
    demanded_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the premium demand notice was delivered (to the portal).",
    )
    demand_letter = models.ForeignKey(
        "documents.Letter", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    grace_ends_on = models.DateField(
        null=True,
        blank=True,
        help_text="Last day of cover while this premium stays unpaid, as the demand notice "
        "states it; cover is suspended from the next day.",
    )

    class Meta:
        ordering = ["policy", "due_date"]
        constraints = [
            models.UniqueConstraint(fields=["policy", "due_date"], name="one_instalment_per_day"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="instalment_positive"),
            models.CheckConstraint(
                condition=~Q(status=InstalmentStatus.PAID) | Q(paid_at__isnull=False),
                name="paid_instalment_has_paid_at",
            ),
            models.CheckConstraint(
                condition=Q(demanded_at__isnull=True, demand_letter__isnull=True)
                | Q(demanded_at__isnull=False, demand_letter__isnull=False),
                name="demand_has_its_letter",
            ),
        ]
        # The worker's sweep reads due instalments by date every pass.
        indexes = [models.Index(fields=["status", "due_date"])]

    def __str__(self) -> str:
        return f"{self.policy.number} {self.due_date} {self.amount}"


class Cancellation(models.Model):
    """A policy cancelled by its policyholder within the cooling-off period.

    The contract is undone from the start: every premium paid comes back (`refund`), premiums
    not yet paid are waived. The row keeps which rule gave the period and when it ended, so the
    decision can be checked later; the confirmation letter is the customer's written record.
    """

    policy = models.OneToOneField(Policy, on_delete=models.PROTECT, related_name="cancellation")
    requested_at = models.DateTimeField()
    requested_by = models.ForeignKey(
        "auth.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reason = models.CharField(max_length=500, blank=True)
    period_ends_on = models.DateField(help_text="Last day of the cooling-off period.")
    basis = models.CharField(
        max_length=200, help_text='What set the period, e.g. "CN-09, HM Art. 15: 15 days".'
    )
    refund = models.DecimalField(max_digits=12, decimal_places=2)
    currency = models.CharField(max_length=3)
    letter = models.ForeignKey(
        "documents.Letter", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(refund__gte=0), name="refund_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.policy.number} cancelled in the cooling-off period"


# -- premiums after issue -------------------------------------------------------------------------


class PremiumPayment(models.Model):
    """Money received for one premium instalment, and the receipt we issued for it.

    InsureDesk runs no payment gateway: a row says the insurer has the money, how it came
    (`method`) and the payer's or bank's `reference` to trace it, as told by the policyholder
    paying in the portal or API or by the member of staff who took it. One instalment has at
    most one payment (the one-to-one is the database's guarantee against paying twice), and it
    is always the instalment's whole amount in the policy's currency.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    number = models.CharField(max_length=30, unique=True, help_text="Receipt number, PRM-….")
    instalment = models.OneToOneField(
        PremiumInstalment, on_delete=models.PROTECT, related_name="payment"
    )
    policy = models.ForeignKey(Policy, on_delete=models.PROTECT, related_name="payments")
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    currency = models.CharField(max_length=3)
    method = models.CharField(max_length=20, choices=PaymentMethod.choices)
    reference = models.CharField(
        max_length=60, help_text="The payer's or bank's reference (card authorisation, …)."
    )
    received_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        "auth.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    receipt = models.ForeignKey(
        "documents.Letter", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-received_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.currency} {self.amount}"


class Arrears(models.Model):
    """A policy's unpaid premiums, from the first demand notice to the outcome: paid in the
    grace period, or cover suspended (IL Art. 36) and then reinstated or terminated (Art. 37).

    It is a case (kind "arrears"): the status lives on `case`, each step is an event of the
    audit trail and the customer's timeline, and the letters are filed on it. A policy has at
    most one open arrears case; the services find it with the policy row locked.
    """

    case = models.OneToOneField("casework.Case", on_delete=models.PROTECT, related_name="arrears")
    policy = models.ForeignKey(Policy, on_delete=models.PROTECT, related_name="arrears")
    suspended_at = models.DateTimeField(null=True, blank=True)
    suspension_letter = models.ForeignKey(
        "documents.Letter", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reinstate_by = models.DateField(
        null=True, blank=True, help_text="Last day the policy may be reinstated (CN-16)."
    )
    ended_at = models.DateTimeField(null=True, blank=True)
    termination_letter = models.ForeignKey(
        "documents.Letter", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-id"]
        verbose_name_plural = "arrears"

    def __str__(self) -> str:
        return f"{self.case.reference} ({self.policy.number})"

    @property
    def status(self) -> str:
        return self.case.status


class Reinstatement(models.Model):
    """The policyholder's application to reinstate a suspended policy, and our decision.

    IL Art. 37 (CN-16): reinstatement is by agreement, within the period after suspension; an
    agreed application reinstates the policy when the arrears are paid. A declined one gives
    written reasons and leaves the policy suspended, so the policyholder may apply again.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    arrears = models.ForeignKey(Arrears, on_delete=models.PROTECT, related_name="reinstatements")
    applied_at = models.DateTimeField()
    applied_by = models.ForeignKey(
        "auth.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    statement = models.TextField(
        blank=True,
        help_text="What the policyholder declares with the application, e.g. the insured's "
        "health since the suspension.",
    )
    decision = models.CharField(max_length=10, choices=ReinstatementDecision.choices, blank=True)
    reasons = models.TextField(blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        "auth.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    letter = models.ForeignKey(
        "documents.Letter", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-applied_at", "-id"]
        constraints = [
            # One application waits for a decision at a time.
            models.UniqueConstraint(
                fields=["arrears"], condition=Q(decision=""), name="one_undecided_reinstatement"
            ),
            models.CheckConstraint(
                condition=Q(decision="") | Q(decided_at__isnull=False),
                name="decided_reinstatement_has_decided_at",
            ),
        ]

    def __str__(self) -> str:
        return f"Reinstatement of {self.arrears.policy.number} applied {self.applied_at:%Y-%m-%d}"


# -- regular visits (services in visiting.py) ----------------------------------------------------


class Visit(models.Model):
    """A service visit to a customer after the sale: in person, by phone or by video.

    The status, reference (VIS-…), assignee (the agent) and clock live on the case; the clock's
    last day is copied to `due_on` for the queues. `plan_key` names the occurrence the visit
    plan made it for ("review:TL-0000001:2027-03-14"), so the planner never makes it twice;
    `open_key` ("review:TL-0000001") is set while the visit is open and cleared when it ends,
    so there are never two open visits of one purpose for one policy (or, without a policy,
    one customer). While the status is "proposed", `scheduled_at`, `channel` and `place` are
    the customer's proposal; once "scheduled", the agreed appointment.
    """

    case = models.OneToOneField("casework.Case", on_delete=models.PROTECT, related_name="visit")
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    customer = models.ForeignKey(
        "customers.CustomerProfile", on_delete=models.PROTECT, related_name="visits"
    )
    policy = models.ForeignKey(
        Policy, on_delete=models.PROTECT, null=True, blank=True, related_name="visits"
    )
    purpose = models.CharField(max_length=20, choices=VisitPurpose.choices)
    source_case = models.ForeignKey(
        "casework.Case",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The claim or complaint whose end called for this visit.",
    )
    plan_key = models.CharField(max_length=80, null=True, blank=True, unique=True)
    open_key = models.CharField(max_length=80, null=True, blank=True, unique=True)
    due_on = models.DateField(help_text="The last day of the visit's service standard (SVC-03).")
    rule = models.CharField(max_length=40, help_text="The rule that set `due_on`.")
    channel = models.CharField(max_length=20, choices=VisitChannel.choices, blank=True)
    scheduled_at = models.DateTimeField(null=True, blank=True)
    place = models.CharField(max_length=300, blank=True)
    customer_note = models.CharField(
        max_length=500, blank=True, help_text="What the customer said when asking or proposing."
    )
    attempts = models.PositiveSmallIntegerField(
        default=0, help_text="Attempts that found the customer unreachable."
    )
    outcome = models.CharField(max_length=20, choices=VisitOutcome.choices, blank=True)
    visited_at = models.DateTimeField(null=True, blank=True)
    notes = models.TextField(blank=True, help_text="The agent's notes; staff only.")
    needs = models.JSONField(default=list, blank=True, help_text="VisitNeed codes identified.")
    checklist = models.JSONField(
        default=dict,
        blank=True,
        help_text="Welcome visits: what was explained and confirmed (policy, exemption "
        "clauses, cooling-off right).",
    )
    rating = models.PositiveSmallIntegerField(null=True, blank=True)
    rating_comment = models.CharField(max_length=1000, blank=True)
    rated_at = models.DateTimeField(null=True, blank=True)
    reminded_for = models.DateTimeField(
        null=True, blank=True, help_text="The appointment the day-before reminder was sent for."
    )
    version = models.PositiveIntegerField(default=0, help_text="Compare-and-set counter.")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [
            models.Index(fields=["customer", "due_on"]),
            models.Index(fields=["scheduled_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                name="visit_rating_one_to_five",
            ),
            models.CheckConstraint(
                condition=Q(rating__isnull=True, rated_at__isnull=True)
                | Q(rating__isnull=False, rated_at__isnull=False),
                name="visit_rated_at_with_rating",
            ),
        ]

    def __str__(self) -> str:
        return self.case.reference

    @property
    def reference(self) -> str:
        return self.case.reference

    @property
    def status(self) -> str:
        return self.case.status

    def need_labels(self) -> list[str]:
        return [VisitNeed(code).label for code in self.needs if code in VisitNeed.values]


class VisitFollowUp(models.Model):
    """What a need found at a visit led to: a consultation, a complaint, or an agent's task.

    Consultations and complaints are made by their own apps' services and only linked here;
    a task lives here alone (`due_on`, `done_at`). One follow-up per need of a visit.
    """

    visit = models.ForeignKey(Visit, on_delete=models.PROTECT, related_name="follow_ups")
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    need = models.CharField(max_length=30, choices=VisitNeed.choices)
    action = models.CharField(max_length=20, choices=FollowUpAction.choices)
    note = models.TextField()
    consultation = models.ForeignKey(
        "consultation.Consultation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    complaint = models.ForeignKey(
        "complaints.Complaint", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    assignee = models.ForeignKey(
        "auth.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    due_on = models.DateField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    raised_by = models.ForeignKey("auth.User", on_delete=models.PROTECT, related_name="+")
    raised_at = models.DateTimeField()

    class Meta:
        ordering = ["visit", "raised_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["visit", "need"], name="one_follow_up_per_need"),
            models.CheckConstraint(
                condition=(
                    Q(action=FollowUpAction.CONSULTATION, consultation__isnull=False)
                    | Q(action=FollowUpAction.COMPLAINT, complaint__isnull=False)
                    | Q(action=FollowUpAction.TASK, due_on__isnull=False)
                ),
                name="follow_up_links_what_it_raised",
            ),
        ]
        indexes = [models.Index(fields=["assignee", "done_at"])]

    def __str__(self) -> str:
        return f"{self.visit_id} {self.need} -> {self.action}"


class Surrender(models.Model):
    """The policyholder ends the contract after the cooling-off period, and what we pay back.

    CN-14 (IL Art. 47): the cash value is refunded within 30 days of the surrender notice;
    property insurance refunds the premium for the unexpired days as the contract says (Art.
    54). It is a case (kind "surrender"): its clock runs from the notice to the refund. The
    contract ends with the notice; `value` keeps how the amount was worked out on that day
    (empty when the product version holds no surrender terms: staff then state the amount).
    """

    case = models.OneToOneField("casework.Case", on_delete=models.PROTECT, related_name="surrender")
    policy = models.OneToOneField(Policy, on_delete=models.PROTECT, related_name="surrender")
    requested_at = models.DateTimeField(help_text="When the surrender notice reached us.")
    requested_by = models.ForeignKey(
        "auth.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reason = models.CharField(max_length=500, blank=True)
    refund_account = models.CharField(
        max_length=120, help_text="Where the policyholder asked us to pay: bank and account."
    )
    ended_on = models.DateField(help_text="The last day of cover, local to the jurisdiction.")
    value = models.JSONField(default=dict, blank=True, help_text="SurrenderValue.as_dict().")
    amount = models.DecimalField(
        max_digits=12, decimal_places=2, null=True, blank=True, help_text="None: to be stated."
    )
    currency = models.CharField(max_length=3)
    refund_by = models.DateField(null=True, blank=True, help_text="CN-14: 30 days from notice.")
    paid_at = models.DateTimeField(null=True, blank=True)
    paid_by = models.ForeignKey(
        "auth.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    payment_reference = models.CharField(max_length=60, blank=True)
    letter = models.ForeignKey(
        "documents.Letter", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gte=0),
                name="surrender_amount_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case.reference} ({self.policy.number})"

    @property
    def status(self) -> str:
        return self.case.status

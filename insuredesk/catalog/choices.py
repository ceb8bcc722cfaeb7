"""Kinds used by the catalogue."""

from django.db import models


class Line(models.TextChoices):
    TERM_LIFE = "term_life", "Term life"  # pays the sum insured on death within the term
    CRITICAL_ILLNESS = "critical_illness", "Critical illness"  # lump sum on a listed diagnosis
    MOTOR = "motor", "Motor"  # own damage, theft and third-party liability of a vehicle
    HOME = "home", "Home property"  # buildings and contents against fire, flood, burglary


class ClauseKind(models.TextChoices):
    COVERAGE = "coverage", "Coverage"  # what is insured and when the insurer pays
    EXEMPTION = "exemption", "Exemption / exclusion"  # when the insurer does not pay (IL Art. 17)
    OBLIGATION = "obligation", "Obligation"  # what the policyholder or insured must do
    DEFINITION = "definition", "Definition"  # the meaning of a term used in the contract
    GENERAL = "general", "General condition"  # cooling-off, premiums, termination, disputes

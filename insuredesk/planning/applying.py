"""From a plan or an accepted proposal to an application: what the sales form is filled with.

The sale still asks its own questions (CN-04) and prices the cover itself; the plan only saves
the customer typing the product, sum insured, term and rating inputs it already knows. The form
fields are those of `sales.forms.ApplicationForm` (`sum_insured`, `term_years`, `rating_<key>`).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse

from insuredesk.catalog.rating import METHOD_INPUTS

# The rating inputs the application form asks for itself; the age comes from the birth date.
FORM_INPUTS = tuple(
    dict.fromkeys(key for keys in METHOD_INPUTS.values() for key in keys if key != "age")
)


def application_fields(
    *,
    product: str,
    sum_insured: Decimal,
    term_years: int,
    rating_inputs: Mapping[str, Any],
    origin: str = "",
) -> dict[str, Any]:
    """The fields of `POST /api/v1/applications` the plan knows (declarations are the
    applicant's to answer); `origin` is the accepted proposal's reference."""
    return {
        "product": product,
        "sum_insured": sum_insured,
        "term_years": term_years,
        "rating_inputs": {k: v for k, v in rating_inputs.items() if k in FORM_INPUTS},
        "origin": origin or None,
    }


def apply_url(
    *,
    product: str,
    sum_insured: Decimal,
    term_years: int,
    rating_inputs: Mapping[str, Any],
    customer_number: str = "",
    origin: str = "",
) -> str:
    """The application form, prefilled: the portal's, or the console's for a named customer.
    With `origin` (an accepted proposal's reference) the application is linked to it."""
    query = {"sum_insured": f"{sum_insured:.2f}", "term_years": str(term_years)}
    if origin:
        query["origin"] = origin
    for key, value in rating_inputs.items():
        if key in FORM_INPUTS:
            query[f"rating_{key}"] = str(value)
    if customer_number:
        base = reverse("console:apply", args=[customer_number, product])
    else:
        base = reverse("portal:apply", args=[product])
    return f"{base}?{urlencode(query)}"

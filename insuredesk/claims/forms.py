"""Workspace action forms: when a service says no, its message lands beside the field it names.

A console action calls one service. When the service raises a DomainError, the workspace is
rendered again (200) with that form open and what was typed kept: the message goes beside the
input named by `details["field"]`, or at the top of the form when the error names no field the
form shows (a 409 "already refused", a 403 "needs a supervisor"). Nothing was written: the
service's transaction rolled back.
"""

from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.http import QueryDict

from insuredesk.errors import DomainError

ITEM_ROWS = 3  # loss lines the assessment form offers


@dataclass
class FailedForm:
    """One action form that came back with an error."""

    name: str  # the action: "offer", "refuse", "report" (a survey report) …
    values: QueryDict  # what was posted, to fill the form again
    message: str = ""  # shown at the top of the form
    errors: dict[str, str] = field(default_factory=dict)  # input name -> message beside it
    index: int | None = None  # which line of a list input ("items.1.amount" -> 1)
    warnings: list[str] = field(default_factory=list)  # CN-02 warnings to confirm
    target: str = ""  # which of several forms of that name: a survey's or an order's id


def attempt(
    call: Callable[[], object],
    *,
    name: str,
    values: QueryDict,
    inputs: Collection[str],
    target: object = "",
) -> FailedForm | None:
    """Run `call`; None when it succeeded, else the form to show again."""
    try:
        call()
    except DomainError as exc:
        return failed_form(exc, name=name, values=values, inputs=inputs, target=target)
    return None


def failed_form(
    exc: DomainError,
    *,
    name: str,
    values: QueryDict,
    inputs: Collection[str],
    target: object = "",
) -> FailedForm:
    """Map the error's field ("amount", "items.1.amount", "clauses.0.how_it_applies") to the
    input the form shows; any other error goes to the top of the form."""
    form = FailedForm(name=name, values=values, target=str(target))
    form.warnings = [w["message"] for w in exc.details.get("warnings") or []]
    head, _, rest = str(exc.details.get("field") or "").partition(".")
    if head and head in inputs:
        form.errors[head] = exc.message
        position = rest.partition(".")[0]
        form.index = int(position) if position.isdigit() else None
    else:
        form.message = exc.message
    return form


def filled_items(post: QueryDict) -> list[dict[str, str]]:
    """The assessment's loss lines that have something in them, in the order typed."""
    rows = zip(
        post.getlist("item_description"),
        post.getlist("item_coverage"),
        post.getlist("item_amount"),
        post.getlist("item_excluded_by"),
        strict=False,
    )
    return [
        {"description": d, "coverage": c, "amount": a, "excluded_by": x}
        for d, c, a, x in rows
        if d.strip() or a.strip()
    ]


def item_rows(failed: FailedForm | None) -> list[dict[str, Any]]:
    """The assessment form's lines: the filled ones again after an error (so "line 2" of the
    service's message is the second line shown), then blank ones."""
    rows: list[dict[str, Any]] = []
    if failed is not None and failed.name == "assessment":
        for index, row in enumerate(filled_items(failed.values)):
            error = failed.errors.get("items") if failed.index == index else ""
            rows.append({**row, "error": error})
    while len(rows) < ITEM_ROWS:
        rows.append({"description": "", "coverage": "", "amount": "", "excluded_by": ""})
    return rows


def mark_clauses(clauses: Iterable[Any], failed: FailedForm | None) -> None:
    """After a failed refusal: each clause's tick, its "how it applies" and its own error."""
    if failed is None or failed.name != "refuse":
        return
    cited = failed.values.getlist("clause")
    wrong = cited[failed.index] if failed.index is not None and failed.index < len(cited) else ""
    for clause in clauses:
        clause.cited = clause.number in cited
        clause.how = failed.values.get(f"how_{clause.number}", "")
        clause.error = failed.errors.get("clauses", "") if clause.number == wrong else ""


def mark_target(objects: Iterable[Any], failed: FailedForm | None, name: str, key: str) -> None:
    """Give the one survey (or payment order) whose own form failed its `failed` form."""
    for obj in objects:
        hit = failed is not None and failed.name == name and failed.target == str(getattr(obj, key))
        obj.failed = failed if hit else None

"""Schema pieces every API router shares: strict input, the error shape, money."""

from decimal import Decimal
from typing import Annotated, Any

from ninja import Schema
from pydantic import ConfigDict, Field


class InputSchema(Schema):
    """Request bodies reject unknown fields, so a typo is an error rather than silently ignored."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class ErrorBody(Schema):
    code: str
    message: str
    details: dict[str, Any] = {}


class ErrorOut(Schema):
    """The one error shape of the API: `{"error": {"code", "message", "details"}}`."""

    error: ErrorBody


# Amounts are decimal strings or numbers; never floats on our side. Upper bound guards absurd input.
PositiveAmount = Annotated[Decimal, Field(gt=0, le=Decimal("1000000000"), decimal_places=2)]
NonNegativeAmount = Annotated[Decimal, Field(ge=0, le=Decimal("1000000000"), decimal_places=2)]

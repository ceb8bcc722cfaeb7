"""Catalogue files: load a product, its versions, coverages and clauses from TOML, and back.

A catalogue file describes one product (see `demo/term_life.toml`):

    [product]                 code, name, line, market, summary, is_published
    [[versions]]              version, effective_from, currency, term_years_options, …
    [versions.rating_table]   read by `catalog.rating` (rates as strings)
    [versions.surrender_terms] read by `catalog.surrender` (what a surrender pays back)
    [[versions.coverages]]    code, name, limits, deductible, waiting period, loss types, documents
    [[versions.clauses]]      number, title, kind, coverage, text, explanation, legal_consequence

A new version that keeps most of an earlier one's wording (a new rate, one clause reworded)
says `wording_from = 1`: it takes that version's coverages and clauses, and those it lists
itself replace the ones with the same code or number, or are added.

Loading is an upsert keyed by product code, version number, coverage code and clause number, so
loading the same file twice leaves the same rows. Rows absent from the file are kept (and counted
as `kept`), never deleted: policies may point at them.

A version that policies have been written on is a contract; its wording, coverages and rating
table cannot change by reloading a file (a new wording is a new version), so such a change is a
`Conflict` and nothing is written.
"""

from __future__ import annotations

import datetime as dt
import json
import tomllib
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, TypeVar

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models, transaction

from insuredesk.catalog.choices import ClauseKind, Line
from insuredesk.catalog.models import Clause, Coverage, Product, ProductVersion
from insuredesk.catalog.rating import check_table
from insuredesk.catalog.surrender import check_terms
from insuredesk.errors import Conflict, ValidationFailed
from insuredesk.rules.registry import Profile, get_profile

DEMO_DIR = Path(__file__).resolve().parent / "demo"

PRODUCT_FIELDS = ("name", "line", "market", "summary", "is_published")
VERSION_FIELDS = (
    "effective_from",
    "effective_to",
    "currency",
    "term_years_options",
    "cooling_off_days",
    "rating_method",
    "rating_table",
    "surrender_terms",
    "notes",
)
COVERAGE_FIELDS = (
    "name",
    "description",
    "sum_insured_min",
    "sum_insured_max",
    "deductible",
    "waiting_period_days",
    "loss_types",
    "required_documents",
)
CLAUSE_FIELDS = (
    "title",
    "kind",
    "text",
    "explanation",
    "legal_consequence",
    "must_be_explained",
    "position",
)
DECIMAL_FIELDS = {"sum_insured_min", "sum_insured_max", "deductible"}
# Keys a file may carry that the models do not store (yet): read and ignored on purpose.
IGNORED_KEYS = {"name_zh", "summary_zh"}

_Row = TypeVar("_Row", bound=models.Model)


@dataclass
class LoadReport:
    """What a load did, counted per kind of row: created, updated, unchanged, kept."""

    counts: Counter[str] = field(default_factory=Counter)
    products: list[str] = field(default_factory=list)

    def add(self, kind: str, outcome: str) -> None:
        self.counts[f"{kind}.{outcome}"] += 1

    def merge(self, other: LoadReport) -> None:
        self.counts.update(other.counts)
        self.products.extend(other.products)

    @property
    def changed(self) -> int:
        return sum(n for k, n in self.counts.items() if k.endswith((".created", ".updated")))

    def summary(self) -> str:
        parts = []
        for kind in ("product", "version", "coverage", "clause"):
            numbers = {o: self.counts[f"{kind}.{o}"] for o in ("created", "updated", "unchanged")}
            parts.append(
                f"{kind}s: {numbers['created']} created, {numbers['updated']} updated, "
                f"{numbers['unchanged']} unchanged"
            )
        return "; ".join(parts)


# -- reading ------------------------------------------------------------------------------------


def read_file(path: str | Path) -> dict[str, Any]:
    """The parsed contents of a catalogue file (.toml, or .json with the same shape)."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ValidationFailed(f"Cannot read {path}: {exc.strerror}.", field="file") from None
    try:
        if path.suffix == ".json":
            return json.loads(raw)
        return tomllib.loads(raw.decode("utf-8"))
    except (tomllib.TOMLDecodeError, json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ValidationFailed(
            f"{path.name} is not a valid catalogue file: {exc}", field="file"
        ) from None


def demo_files() -> list[Path]:
    return sorted(DEMO_DIR.glob("*.toml"))


def load_files(paths: Iterable[str | Path]) -> LoadReport:
    """Load several catalogue files in one transaction: all of them, or none on an error.

    Not durable on purpose: `insuredesk demo` calls it inside its own set-up steps.
    """
    report = LoadReport()
    with transaction.atomic():
        for path in paths:
            try:
                report.merge(load_product(read_file(path)))
            except ValidationFailed as exc:
                exc.details.setdefault("file", Path(path).name)
                raise
    return report


def load_demo_catalogue() -> LoadReport:
    return load_files(demo_files())


# -- loading ------------------------------------------------------------------------------------


def _fail(message: str, where: str) -> ValidationFailed:
    return ValidationFailed(message, field=where)


def _require(data: Mapping[str, Any], key: str, where: str) -> Any:
    value = data.get(key)
    if value is None or value == "":
        raise _fail(f"{where}.{key} is required.", f"{where}.{key}")
    return value


def _date(value: Any, where: str) -> dt.date | None:
    if value is None or (isinstance(value, dt.date) and not isinstance(value, dt.datetime)):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise _fail(f"{where} must be a date (YYYY-MM-DD).", where) from None


def _decimal(value: Any, where: str) -> Decimal:
    if isinstance(value, float):
        raise _fail(f'{where}: write amounts as strings ("1000.00"), not floats.', where)
    try:
        return Decimal(str(value))
    except InvalidOperation:
        raise _fail(f"{where} must be a decimal number.", where) from None


def _check_keys(data: Mapping[str, Any], allowed: Iterable[str], where: str) -> None:
    unknown = set(data) - set(allowed) - IGNORED_KEYS
    if unknown:
        key = sorted(unknown)[0]
        raise _fail(f"Unknown key {key!r} in {where}.", f"{where}.{key}")


def _upsert(
    model: type[_Row],
    lookup: dict[str, Any],
    values: dict[str, Any],
    where: str,
    report: LoadReport,
    kind: str,
) -> tuple[_Row, bool]:
    """Create the row or bring its fields in line with `values`; returns (row, changed)."""
    row = model._default_manager.filter(**lookup).first()
    created = row is None
    if row is None:
        row = model(**lookup)
    changed = [name for name, value in values.items() if created or getattr(row, name) != value]
    for name in changed:
        setattr(row, name, values[name])
    if changed:
        try:
            row.full_clean(validate_unique=False, validate_constraints=False)
        except DjangoValidationError as exc:
            name, messages = next(iter(exc.message_dict.items()))
            raise _fail(f"{where}.{name}: {messages[0]}", f"{where}.{name}") from None
        row.save()
    report.add(kind, "created" if created else "updated" if changed else "unchanged")
    return row, bool(changed) and not created


def load_product(data: Mapping[str, Any]) -> LoadReport:
    """Upsert one product described by a parsed catalogue file (see the module docstring)."""
    report = LoadReport()
    _check_keys(data, ("product", "versions"), "file")
    product_data = data.get("product")
    if not isinstance(product_data, Mapping):
        raise _fail("The file needs a [product] table.", "product")
    _check_keys(product_data, ("code", *PRODUCT_FIELDS), "product")
    code = str(_require(product_data, "code", "product"))
    if product_data.get("line") not in Line.values:
        raise _fail(f"product.line must be one of: {', '.join(Line.values)}.", "product.line")
    market = _market(product_data)
    with transaction.atomic():
        product, _ = _upsert(
            Product,
            {"code": code},
            {
                "name": str(_require(product_data, "name", "product")),
                "line": product_data["line"],
                "market": market.code,
                "summary": str(_require(product_data, "summary", "product")).strip(),
                "is_published": bool(product_data.get("is_published", True)),
            },
            "product",
            report,
            "product",
        )
        versions = data.get("versions") or []
        if not isinstance(versions, list) or not versions:
            raise _fail("The file needs at least one [[versions]] table.", "versions")
        written: dict[int, Mapping[str, Any]] = {}
        for index, version_data in enumerate(versions):
            where = f"versions[{index}]"
            if not isinstance(version_data, Mapping):
                raise _fail(f"{where} must be a table.", where)
            version_data = _with_wording(version_data, written, where)
            _load_version(product, version_data, where, report, market)
            written[version_data["version"]] = version_data
    report.products.append(code)
    return report


def _with_wording(
    data: Mapping[str, Any], written: Mapping[int, Mapping[str, Any]], where: str
) -> Mapping[str, Any]:
    """The version with the coverages and clauses of the earlier version it names in
    `wording_from`, its own replacing theirs by code and number; as it is when it names none."""
    if "wording_from" not in data:
        return data
    source = data["wording_from"]
    if source not in written:
        raise _fail(
            f"{where}.wording_from must name a version listed before it in the file "
            f"({', '.join(map(str, written)) or 'none is'}).",
            f"{where}.wording_from",
        )
    merged = {key: value for key, value in data.items() if key != "wording_from"}
    for part, key in (("coverages", "code"), ("clauses", "number")):
        rows = {str(row.get(key)): row for row in written[source].get(part) or []}
        for index, row in enumerate(data.get(part) or []):
            # a row that is not a table keeps its own place, for the loader to name
            rows[str(row.get(key)) if isinstance(row, Mapping) else f"#{index}"] = row
        merged[part] = list(rows.values())
    return merged


def _market(product_data: Mapping[str, Any]) -> Profile:
    """The jurisdiction profile a product is sold in: `market`, CN when the file names none."""
    return get_profile(str(product_data.get("market", "CN")), field="product.market")


def _load_version(
    product: Product, data: Mapping[str, Any], where: str, report: LoadReport, market: Profile
) -> None:
    _check_keys(data, ("version", *VERSION_FIELDS, "coverages", "clauses"), where)
    number = _require(data, "version", where)
    if not isinstance(number, int) or number < 1:
        raise _fail(f"{where}.version must be a positive whole number.", f"{where}.version")
    method = str(_require(data, "rating_method", where))
    table = data.get("rating_table", {})
    try:
        check_table(method, table)
    except ValidationFailed as exc:
        raise _fail(exc.message, f"{where}.{exc.details.get('field', 'rating_table')}") from None
    surrender_terms = data.get("surrender_terms") or {}
    try:
        check_terms(surrender_terms)
    except ValidationFailed as exc:
        raise _fail(exc.message, f"{where}.{exc.details['field']}") from None
    currency = str(data.get("currency", market.currency))
    if currency != market.currency:
        raise _fail(
            f"A product sold in {market.name} is priced in {market.currency}, not {currency}.",
            f"{where}.currency",
        )
    values: dict[str, Any] = {
        "effective_from": _date(_require(data, "effective_from", where), f"{where}.effective_from"),
        "effective_to": _date(data.get("effective_to"), f"{where}.effective_to"),
        "currency": currency,
        "term_years_options": list(data.get("term_years_options", [])),
        "cooling_off_days": int(data.get("cooling_off_days", 15)),
        "rating_method": method,
        "rating_table": dict(table),
        "surrender_terms": dict(surrender_terms),
        "notes": str(data.get("notes", "")),
    }
    if values["effective_to"] and values["effective_to"] < values["effective_from"]:
        raise _fail("A version cannot end before it starts.", f"{where}.effective_to")
    existing = ProductVersion.objects.filter(product=product, version=number).first()
    in_use = existing is not None and existing.policies.exists()
    checkpoint = sum(report.counts[f"{k}.updated"] for k in ("version", "coverage", "clause"))
    version, _ = _upsert(
        ProductVersion,
        {"product": product, "version": number},
        values,
        where,
        report,
        "version",
    )
    coverages = _load_coverages(version, data.get("coverages") or [], where, report)
    _load_clauses(version, coverages, data.get("clauses") or [], where, report)
    if in_use:
        updated = sum(report.counts[f"{k}.updated"] for k in ("version", "coverage", "clause"))
        if updated != checkpoint:
            # The enclosing atomic block rolls every change of this load back.
            raise Conflict(
                f"{product.code} v{number} has policies written on it; its terms cannot change. "
                "Publish the new wording as a new version.",
                field=f"{where}.version",
            )


def _load_coverages(
    version: ProductVersion, items: list, where: str, report: LoadReport
) -> dict[str, Coverage]:
    by_code = {c.code: c for c in version.coverages.all()}
    seen = set()
    for index, item in enumerate(items):
        at = f"{where}.coverages[{index}]"
        _check_keys(item, ("code", *COVERAGE_FIELDS), at)
        code = str(_require(item, "code", at))
        if code in seen:
            raise _fail(f"Coverage code {code!r} appears twice.", f"{at}.code")
        seen.add(code)
        values: dict[str, Any] = {
            "name": str(_require(item, "name", at)),
            "description": str(item.get("description", "")).strip(),
            "sum_insured_min": _decimal(item.get("sum_insured_min", "0"), f"{at}.sum_insured_min"),
            "sum_insured_max": _decimal(
                _require(item, "sum_insured_max", at), f"{at}.sum_insured_max"
            ),
            "deductible": _decimal(item.get("deductible", "0"), f"{at}.deductible"),
            "waiting_period_days": int(item.get("waiting_period_days", 0)),
            "loss_types": list(item.get("loss_types", [])),
            "required_documents": [dict(d) for d in item.get("required_documents", [])],
        }
        if values["sum_insured_max"] < values["sum_insured_min"]:
            raise _fail("sum_insured_max is below sum_insured_min.", f"{at}.sum_insured_max")
        if values["deductible"] < 0:
            raise _fail("The deductible cannot be negative.", f"{at}.deductible")
        by_code[code], _ = _upsert(
            Coverage, {"product_version": version, "code": code}, values, at, report, "coverage"
        )
    report.counts["coverage.kept"] += len(set(by_code) - seen)
    return by_code


def _load_clauses(
    version: ProductVersion,
    coverages: dict[str, Coverage],
    items: list,
    where: str,
    report: LoadReport,
) -> None:
    seen = set()
    for index, item in enumerate(items):
        at = f"{where}.clauses[{index}]"
        _check_keys(item, ("number", "coverage", *CLAUSE_FIELDS), at)
        number = str(_require(item, "number", at))
        if number in seen:
            raise _fail(f"Clause number {number!r} appears twice.", f"{at}.number")
        seen.add(number)
        kind = item.get("kind")
        if kind not in ClauseKind.values:
            raise _fail(f"kind must be one of: {', '.join(ClauseKind.values)}.", f"{at}.kind")
        coverage = None
        if item.get("coverage"):
            coverage = coverages.get(item["coverage"])
            if coverage is None:
                raise _fail(f"No coverage {item['coverage']!r} in this version.", f"{at}.coverage")
        is_exemption = kind == ClauseKind.EXEMPTION
        if is_exemption and item.get("must_be_explained") is False:
            # IL Art. 17: an exemption clause not marked and explained has no effect.
            raise _fail(
                "An exemption clause must be marked and explained.", f"{at}.must_be_explained"
            )
        values = {
            "title": str(_require(item, "title", at)),
            "kind": kind,
            "text": str(_require(item, "text", at)).strip(),
            "explanation": str(_require(item, "explanation", at)).strip(),
            "legal_consequence": str(item.get("legal_consequence", "")).strip(),
            "must_be_explained": is_exemption or bool(item.get("must_be_explained", False)),
            "position": int(item.get("position", index + 1)),
            "coverage_id": coverage.pk if coverage else None,
        }
        if is_exemption and not values["legal_consequence"]:
            raise _fail(
                "An exemption clause needs its legal consequence explained (IL Art. 17).",
                f"{at}.legal_consequence",
            )
        _upsert(
            Clause, {"product_version": version, "number": number}, values, at, report, "clause"
        )
    report.counts["clause.kept"] += version.clauses.exclude(number__in=seen).count()


# -- exporting ----------------------------------------------------------------------------------


def export_product(product: Product) -> dict[str, Any]:
    """A product as a catalogue-file dictionary; `load_product` of it changes nothing."""
    versions = []
    for version in product.versions.order_by("version"):
        entry: dict[str, Any] = {"version": version.version}
        for name in VERSION_FIELDS:
            value = getattr(version, name)
            if value is not None:
                entry[name] = value
        entry["coverages"] = [
            {
                "code": c.code,
                **{
                    n: str(getattr(c, n)) if n in DECIMAL_FIELDS else getattr(c, n)
                    for n in COVERAGE_FIELDS
                },
            }
            for c in version.coverages.order_by("id")
        ]
        entry["clauses"] = [
            {
                "number": c.number,
                **({"coverage": c.coverage.code} if c.coverage is not None else {}),
                **{n: getattr(c, n) for n in CLAUSE_FIELDS},
            }
            for c in version.clauses.select_related("coverage").order_by("position", "id")
        ]
        versions.append(entry)
    return {
        "product": {"code": product.code, **{n: getattr(product, n) for n in PRODUCT_FIELDS}},
        "versions": versions,
    }


def dumps_toml(data: Mapping[str, Any]) -> str:
    """TOML for a catalogue dictionary: scalars and lists, tables, arrays of tables."""
    lines: list[str] = []
    _emit_table(data, [], lines)
    return "\n".join(lines).lstrip("\n") + "\n"


def _key(name: str) -> str:
    bare = name and all(ch.isascii() and (ch.isalnum() or ch in "-_") for ch in name)
    return name if bare else json.dumps(name, ensure_ascii=False)


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | Decimal):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # JSON string escapes are valid TOML
    if isinstance(value, list):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    if isinstance(value, Mapping):
        return "{ " + ", ".join(f"{_key(k)} = {_value(v)}" for k, v in value.items()) + " }"
    raise TypeError(f"Cannot write {type(value).__name__} to TOML.")


def _is_table_list(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, Mapping) for v in value)


def _emit_table(table: Mapping[str, Any], path: list[str], lines: list[str]) -> None:
    for name, value in table.items():
        if value is None or isinstance(value, Mapping) or _is_table_list(value):
            continue
        lines.append(f"{_key(name)} = {_value(value)}")
    for name, value in table.items():
        if isinstance(value, Mapping):
            lines.extend(["", f"[{'.'.join(_key(p) for p in [*path, name])}]"])
            _emit_table(value, [*path, name], lines)
    for name, value in table.items():
        if _is_table_list(value):
            for item in value:
                lines.extend(["", f"[[{'.'.join(_key(p) for p in [*path, name])}]]"])
                _emit_table(item, [*path, name], lines)

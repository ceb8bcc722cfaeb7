"""Robustness sweep: every API operation, fed bad input, answers 4xx in the one error shape.

The sweep walks the OpenAPI schema of `insuredesk.api.api` and, for each operation, sends as a
member of staff (every staff role) and as Alice (a customer) malformed JSON, a JSON array, an
empty object, unknown fields, a wrong type for each required field, nulls, negative and absurd
amounts, 100k-character strings, dates out of range, and bad query parameters. Path parameters
are filled both with unknown but well-formed values and with Alice's real objects (built once
for the module). The rule (COMMON.md, "Bad input"): never a 5xx; a 4xx always carries
`{"error": {"code", "message", "details"}}`.

There is one test per operation, named `<app>: <METHOD> <path>`, so a failure names the app
that owns the endpoint (claims, complaints and consultation are being edited elsewhere: a red
test there is theirs to fix). Each request runs in a savepoint rolled back afterwards, so a bad
input that is wrongly accepted cannot change the objects the next input is sent against.
"""

from __future__ import annotations

import copy
import json
import traceback
import uuid
from datetime import timedelta
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.utils import timezone

from insuredesk.api import api
from insuredesk.customers.roles import STAFF_ROLES
from insuredesk.tests import factories
from insuredesk.tests.worlds import shared_world

SCHEMA = api.get_openapi_schema()
COMPONENTS = SCHEMA.get("components", {}).get("schemas", {})
PREFIX = "/api/v1"
HUGE = "x" * 100_000
METHODS = ("get", "post", "put", "patch", "delete")


def _owner(path: str) -> str:
    """The app that owns an endpoint, from the module its view function lives in."""
    for route, methods in SCHEMA["paths"].items():
        if route == path:
            op = next(iter(methods.values()))
            parts = op.get("operationId", "").split("_")
            return parts[1] if len(parts) > 1 else "?"
    return "?"


OPERATIONS = [
    (method.upper(), path, op)
    for path, methods in SCHEMA["paths"].items()
    for method, op in methods.items()
    if method in METHODS
]
IDS = [f"{_owner(path)}: {method} {path.removeprefix(PREFIX)}" for method, path, _ in OPERATIONS]


# --- schema helpers -------------------------------------------------------------------------


def resolve(schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = COMPONENTS[schema["$ref"].split("/")[-1]]
    if "allOf" in schema and len(schema["allOf"]) == 1:
        return resolve(schema["allOf"][0])
    return schema


def variants(schema: dict[str, Any]) -> list[dict[str, Any]]:
    schema = resolve(schema)
    if "anyOf" in schema:
        return [resolve(s) for s in schema["anyOf"] if resolve(s).get("type") != "null"]
    return [schema]


def sample(schema: dict[str, Any], name: str = "") -> Any:
    """A value of the right type (not necessarily acceptable to the rules)."""
    schema = variants(schema)[0] if variants(schema) else {}
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    fmt = schema.get("format", "")
    if kind == "object" or "properties" in schema:
        props = schema.get("properties", {})
        return {key: sample(value, key) for key, value in props.items()}
    if kind == "array":
        return [sample(schema.get("items", {}), name)] if schema.get("minItems") else []
    if kind == "integer":
        return max(1, schema.get("minimum", 1))
    if kind == "number":
        return 10
    if kind == "boolean":
        return False
    if fmt == "date":
        return "2026-03-01"
    if fmt == "date-time":
        return "2026-03-01T10:00:00+08:00"
    if fmt == "uuid":
        return str(uuid.uuid4())
    return "text"


def wrong_type(schema: dict[str, Any]) -> Any:
    kinds = {v.get("type") for v in variants(schema)} | {
        "enum" for v in variants(schema) if "enum" in v
    }
    if kinds & {"string", "enum"}:
        return {"nested": ["object"]}
    if kinds & {"integer", "number"}:
        return "twelve"
    if "boolean" in kinds:
        return "perhaps"
    if "array" in kinds:
        return "not a list"
    return 12345


def leaves(schema: dict[str, Any], value: Any, replace) -> Any:
    """Copy of value with every leaf replaced by replace(leaf_schema, name, leaf) when it
    returns something other than None."""

    def walk(schema: dict[str, Any], value: Any, name: str) -> Any:
        options = variants(schema)
        schema = options[0] if options else {}
        if isinstance(value, dict):
            props = schema.get("properties", {})
            return {key: walk(props.get(key, {}), item, key) for key, item in value.items()}
        if isinstance(value, list):
            items = schema.get("items", {})
            return [walk(items, item, name) for item in value] or (
                [walk(items, sample(items, name), name)] if items else []
            )
        new = replace(options, name, value)
        return value if new is None else new

    return walk(schema, copy.deepcopy(value), "")


def _types(options: list[dict[str, Any]]) -> set[str]:
    return {o.get("type", "") for o in options} | {o.get("format", "") for o in options}


def _is_amount(options, name) -> bool:
    return bool(_types(options) & {"number", "integer"})


def _is_date(options, name) -> bool:
    dateish = "date" in name or name in {"start", "starts_at", "until", "due"}
    return bool(_types(options) & {"date", "date-time"}) or (
        dateish and "string" in _types(options)
    )


def body_inputs(schema: dict[str, Any]) -> list[tuple[str, Any]]:
    """(label, raw JSON text) pairs for one request body schema."""
    schema = resolve(schema)
    good = sample(schema)
    required = schema.get("required", [])
    props = schema.get("properties", {})
    cases: list[tuple[str, Any]] = [
        ("malformed JSON", '{"oops": '),
        ("a JSON array", []),
        ("an array of the object", [good]),
        ("a JSON string", "just text"),
        ("an empty object", {}),
        ("an unknown field", {**good, "surprise_field": 1}),
        ("every field null", dict.fromkeys(props)),
    ]
    for name in required:
        cases.append((f"{name} of the wrong type", {**good, name: wrong_type(props[name])}))
        cases.append((f"{name} missing", {k: v for k, v in good.items() if k != name}))

    def overlong(options, name, value):
        return HUGE if isinstance(value, str) and "string" in _types(options) else None

    def negative(options, name, value):
        return -1 if _is_amount(options, name) else None

    def absurd(options, name, value):
        return 10**30 if _is_amount(options, name) else None

    def huge_int(options, name, value):
        return 2**63 if _is_amount(options, name) else None

    def not_a_number(options, name, value):
        return "NaN" if _is_amount(options, name) else None

    def far_future(options, name, value):
        if not _is_date(options, name):
            return None
        return "9999-12-31T23:59:59+14:00" if "date-time" in _types(options) else "9999-12-31"

    def far_past(options, name, value):
        if not _is_date(options, name):
            return None
        return "0001-01-01T00:00:00-12:00" if "date-time" in _types(options) else "0001-01-01"

    def impossible(options, name, value):
        return "2026-02-30" if _is_date(options, name) else None

    for label, replace in [
        ("100k-character strings", overlong),
        ("negative numbers", negative),
        ("absurd numbers (1e30)", absurd),
        ("numbers past 64 bits", huge_int),
        ("NaN numbers", not_a_number),
        ("dates in 9999", far_future),
        ("dates in year 1", far_past),
        ("impossible dates (30 February)", impossible),
    ]:
        mutated = leaves(schema, good, replace)
        if mutated != good:
            cases.append((label, mutated))
    return cases


def multipart_inputs(schema: dict[str, Any]) -> list[tuple[str, Any]]:
    """(label, form dict) pairs for a multipart body: files are built fresh per request."""
    schema = resolve(schema)
    good = {
        key: ("FILE" if value.get("format") == "binary" else "text")
        for key, value in schema.get("properties", {}).items()
    }
    cases: list[tuple[str, Any]] = [
        ("no fields at all", {}),
        ("no file", {k: v for k, v in good.items() if v != "FILE"}),
        ("an unknown document code", good),
        ("100k-character fields", {k: (HUGE if v == "text" else v) for k, v in good.items()}),
        ("an empty file", {k: ("EMPTY" if v == "FILE" else v) for k, v in good.items()}),
        (
            "a file that is not what it claims",
            {k: ("EXE" if v == "FILE" else v) for k, v in good.items()},
        ),
    ]
    return cases


def query_inputs(op: dict[str, Any]) -> list[tuple[str, dict[str, str]]]:
    cases: list[tuple[str, dict[str, str]]] = [("no query", {})]
    for param in op.get("parameters", []):
        if param["in"] != "query":
            continue
        name = param["name"]
        types = _types(variants(param.get("schema", {})))
        if types & {"integer", "number"}:
            cases += [
                (f"{name}=-1", {name: "-1"}),
                (f"{name} past 64 bits", {name: str(2**64)}),
                (f"{name} not a number", {name: "lots"}),
            ]
        elif "boolean" in types:
            cases.append((f"{name}=perhaps", {name: "perhaps"}))
        else:
            cases += [
                (f"{name} unknown", {name: "no-such-value"}),
                (f"{name} 100k characters", {name: HUGE}),
            ]
    return cases


# --- the objects the paths point at ---------------------------------------------------------


def _real_values(staff, alice_headers, staff_headers, client) -> dict[str, str]:
    """Alice's objects, built with the factories and the API itself; keys are 'prefix:param'."""
    from insuredesk.claims.tests.factories import NOW, report
    from insuredesk.complaints.tests.factories import at, submit
    from insuredesk.consultation.tests.factories import make_knowledge_base, make_lecture

    alice = factories.CustomerProfile.objects.get(user__username="alice")
    policy = factories.make_policy(alice, start=NOW.date() - timedelta(days=100))
    claim = report(policy)
    complaint = submit(alice, now=at(2026, 3, 10), policy=policy)
    articles = make_knowledge_base()
    lecture = make_lecture()
    values = {
        "claims:reference": claim.case.reference,
        "cases:reference": claim.case.reference,
        "complaints:reference": complaint.case.reference,
        "policies:number": policy.number,
        "products:code": policy.product_version.product.code,
        "rules:code": "CN",
        "kb:external_id": articles[0].external_id,
        "lectures:lecture_id": str(lecture.public_id),
    }

    def first_id(path: str, headers) -> str | None:
        response = client.get(PREFIX + path, headers=headers)
        if response.status_code != 200:
            return None
        body = response.json()
        items = body["items"] if isinstance(body, dict) and "items" in body else body
        return str(items[0]["id"]) if items else None

    asked = client.post(
        PREFIX + "/consultations",
        data={"question": "How do I report a claim?"},
        content_type="application/json",
        headers=alice_headers,
    )
    if asked.status_code == 201:
        body = asked.json()
        values["consultations:reference"] = body.get("reference", "")
        messages = body.get("messages") or []
        if messages:
            values["consultations:message_id"] = str(messages[-1]["id"])
    registered = client.post(
        f"{PREFIX}/lectures/{lecture.public_id}/register",
        data={},
        content_type="application/json",
        headers=alice_headers,
    )
    if registered.status_code == 201:
        values["lectures:registration_id"] = str(registered.json().get("id", ""))
    today = timezone.localdate()
    client.post(
        PREFIX + "/improvement-plans",
        data={
            "title": "Answer claim enquiries faster",
            "deficiency": "Claim status questions waited a week.",
            "cause_categories": ["process_error"],
            "verification_date": str(today + timedelta(days=120)),
            "measures": [
                {
                    "description": "Daily queue review",
                    "owner": "staffer",
                    "due_date": str(today + timedelta(days=60)),
                }
            ],
        },
        content_type="application/json",
        headers=staff_headers,
    )
    # Read back from the database: the plan's answer itself may be what fails.
    from insuredesk.complaints.models import Measure

    measure = Measure.objects.select_related("plan").order_by("-pk").first()
    if measure:
        values["improvement-plans:plan_id"] = str(measure.plan.public_id)
        values["improvement-plans:measure_id"] = str(measure.public_id)
    for key, path in [
        ("letters:letter_id", "/letters"),
        ("inbox:message_id", "/inbox"),
        ("auth:token_id", "/auth/tokens"),
    ]:
        found = first_id(path, alice_headers)
        if found:
            values[key] = found
    return {key: value for key, value in values.items() if value}


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The cast and Alice's objects, built once and rolled back after the module."""
    media = tmp_path_factory.mktemp("robustness-media")
    with shared_world(django_db_blocker, media):
        from conftest import bearer

        factories.alice()
        staff = factories.make_user("staffer", *sorted(STAFF_ROLES))
        alice_user = factories.CustomerProfile.objects.get(user__username="alice").user
        headers = {"staff": bearer(staff), "customer": bearer(alice_user)}
        client = Client(raise_request_exception=False)
        real = _real_values(staff, headers["customer"], headers["staff"], client)
        yield {"headers": headers, "real": real, "media": media}


# --- sending and judging --------------------------------------------------------------------


def unknown_value(path: str, name: str, schema: dict[str, Any]) -> str:
    types = _types(variants(schema))
    if types & {"integer", "number"}:
        return "999999"
    if name.endswith("_id") or "uuid" in types:
        return str(uuid.UUID(int=0xDEADBEEF))
    if name == "reference":
        prefix = {"claims": "CLM", "complaints": "CMP", "consultations": "CON"}.get(
            _segment(path), "CLM"
        )
        return f"{prefix}-2026-999999"
    if name == "number":
        return "P-999999"
    return "no-such-" + name.replace("_", "-")


def _segment(path: str) -> str:
    return path.removeprefix(PREFIX).strip("/").split("/")[0]


def path_variants(path: str, op: dict[str, Any], real: dict[str, str]) -> list[tuple[str, str]]:
    params = [p for p in op.get("parameters", []) if p["in"] == "path"]
    if not params:
        return [("", path)]
    unknown = path
    known = path
    complete = True
    for param in params:
        name = param["name"]
        value = unknown_value(path, name, param.get("schema", {}))
        unknown = unknown.replace("{" + name + "}", value)
        segment = _segment(path)
        key = f"{segment}:{name}"
        if key in real:
            known = known.replace("{" + name + "}", real[key])
        else:
            complete = False
            known = known.replace("{" + name + "}", value)
    out = [("unknown objects", unknown)]
    if any(f"{_segment(path)}:{p['name']}" in real for p in params):
        out.append(("Alice's objects" if complete else "Alice's objects (partly)", known))
    return out


def _top_frame(exc: BaseException) -> str:
    frames = traceback.extract_tb(exc.__traceback__)
    ours = [f for f in frames if "/insuredesk/" in f.filename and "/tests/" not in f.filename]
    frame = (ours or frames)[-1]
    last = frames[-1]
    where = f"{frame.filename.split('/work/main/')[-1]}:{frame.lineno} in {frame.name}"
    if last is not frame:
        where += f" (raised in {last.filename.rsplit('/', 1)[-1]}:{last.lineno} {last.name})"
    return f"{type(exc).__name__}: {str(exc)[:200]} at {where}"


def _multipart(form: dict[str, str]) -> dict[str, Any]:
    from django.core.files.uploadedfile import SimpleUploadedFile

    files = {
        "FILE": lambda: SimpleUploadedFile(
            "scan.pdf", b"%PDF-1.4\n%robust\n%%EOF\n", "application/pdf"
        ),
        "EMPTY": lambda: SimpleUploadedFile("empty.pdf", b"", "application/pdf"),
        "EXE": lambda: SimpleUploadedFile("scan.pdf", b"MZ\x90\x00 not a pdf", "application/pdf"),
    }
    return {key: files[value]() if value in files else value for key, value in form.items()}


def send(client: Client, method: str, url: str, headers, payload) -> Any:
    """One request inside a savepoint that is always rolled back."""
    block = transaction.atomic()
    block._from_testcase = True  # type: ignore[attr-defined]
    with block:
        try:
            kind, value = payload
            if kind == "query":
                if method == "GET":
                    response = client.get(url, data=value, headers=headers)
                else:
                    response = client.generic(method, f"{url}?{_qs(value)}", headers=headers)
            elif kind == "multipart":
                response = client.post(url, data=_multipart(value), headers=headers)
            else:
                raw = value if isinstance(value, str) and kind == "raw" else json.dumps(value)
                response = client.generic(
                    method, url, raw, content_type="application/json", headers=headers
                )
        finally:
            transaction.set_rollback(True)
    return response


def _qs(params: dict[str, str]) -> str:
    from urllib.parse import urlencode

    return urlencode(params)


def payloads(method: str, op: dict[str, Any]) -> list[tuple[str, tuple[str, Any]]]:
    content = op.get("requestBody", {}).get("content", {})
    if "application/json" in content:
        out = []
        for label, value in body_inputs(content["application/json"]["schema"]):
            kind = "raw" if label == "malformed JSON" else "json"
            out.append((label, (kind, value)))
        return out
    if "multipart/form-data" in content:
        out = [
            (label, ("multipart", form))
            for label, form in multipart_inputs(content["multipart/form-data"]["schema"])
        ]
        return [*out, ("a JSON body instead of a form", ("json", {"code": "x"}))]
    if method == "GET":
        return [(label, ("query", params)) for label, params in query_inputs(op)]
    # Operations without a body: a stray body and stray query parameters must not matter.
    return [
        ("a stray JSON body", ("json", {"surprise_field": HUGE})),
        ("stray query parameters", ("query", {"limit": "-1", "x": HUGE})),
    ]


def judge(response) -> str | None:
    status = response.status_code
    if status >= 500:
        return f"{status}"
    if status < 400:
        return None
    try:
        body = json.loads(response.content)
    except ValueError:
        return f"{status} not JSON: {response.content[:120]!r}"
    error = body.get("error") if isinstance(body, dict) else None
    if not (
        isinstance(error, dict)
        and {"code", "message", "details"} <= set(error)
        and isinstance(error["details"], dict)
    ):
        return f"{status} without the error shape: {str(body)[:200]}"
    return None


@pytest.mark.parametrize(("method", "path", "op"), OPERATIONS, ids=IDS)
def test_bad_input_is_never_a_5xx_and_every_4xx_has_the_error_shape(
    world, db, settings, method, path, op
):
    settings.MEDIA_ROOT = world["media"]  # where the world's letters were stored
    client = Client()
    problems: list[str] = []
    for who in ("staff", "customer"):
        headers = world["headers"][who]
        for where, url in path_variants(path, op, world["real"]):
            for label, payload in payloads(method, op):
                context = f"{who}, {where or 'no path parameters'}, {label}"
                try:
                    response = send(client, method, url, headers, payload)
                except Exception as exc:  # the finding we are here for
                    problems.append(f"500 [{context}] {_top_frame(exc)}")
                    continue
                finding = judge(response)
                if finding:
                    problems.append(f"{finding} [{context}]")
    owner = _owner(path)
    assert not problems, (
        f"{method} {path} (app {owner!r}) answered bad input wrongly:\n  " + "\n  ".join(problems)
    )

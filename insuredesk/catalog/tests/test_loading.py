"""Loading catalogue files: an idempotent upsert by product code, version and clause number."""

import copy

import pytest
from django.db import IntegrityError, transaction

from insuredesk.catalog.choices import ClauseKind
from insuredesk.catalog.loading import (
    demo_files,
    dumps_toml,
    export_product,
    load_demo_catalogue,
    load_files,
    load_product,
    read_file,
)
from insuredesk.catalog.models import Clause, Coverage, Product, ProductVersion
from insuredesk.errors import Conflict, ValidationFailed
from insuredesk.tests.factories import make_policy

pytestmark = pytest.mark.django_db


def row_snapshot() -> dict:
    return {
        "products": list(Product.objects.order_by("pk").values()),
        "versions": list(ProductVersion.objects.order_by("pk").values()),
        "coverages": list(Coverage.objects.order_by("pk").values()),
        "clauses": list(Clause.objects.order_by("pk").values()),
    }


def home_file() -> dict:
    return next(d for d in map(read_file, demo_files()) if d["product"]["code"] == "harbour-home")


def test_loading_the_demo_catalogue_twice_leaves_the_same_rows():
    first = load_demo_catalogue()
    before = row_snapshot()
    second = load_demo_catalogue()
    assert first.counts["product.created"] == len(demo_files()) == 10
    assert second.changed == 0
    assert second.counts["clause.unchanged"] == Clause.objects.count()
    assert row_snapshot() == before


def test_a_changed_wording_updates_a_version_no_policy_uses():
    data = home_file()
    load_product(data)
    changed = copy.deepcopy(data)
    changed["versions"][0]["clauses"][0]["explanation"] = "Reworded in plain words."
    report = load_product(changed)
    assert report.counts["clause.updated"] == 1
    assert Clause.objects.get(
        number="1.1", product_version__product__code="harbour-home"
    ).explanation == ("Reworded in plain words.")


def test_the_wording_of_a_version_with_policies_cannot_change(alice):
    data = home_file()
    load_product(data)
    version = ProductVersion.objects.get(product__code="harbour-home")
    make_policy(alice, version)
    changed = copy.deepcopy(data)
    changed["versions"][0]["clauses"][4]["text"] = "We pay nothing, ever."
    changed["product"]["name"] = "Renamed"
    with pytest.raises(Conflict):
        load_product(changed)
    # Nothing was written: not the clause, not even the product's name.
    assert Clause.objects.get(product_version=version, number="3.1").text.startswith(
        "We do not pay"
    )
    assert Product.objects.get(code="harbour-home").name == "Harbour Home Property"
    # Reloading the unchanged file is still fine.
    assert load_product(data).changed == 0


def test_an_exemption_clause_without_its_legal_consequence_is_refused_il_17():
    data = home_file()
    data["versions"][0]["clauses"][4]["legal_consequence"] = ""
    with pytest.raises(ValidationFailed) as excinfo:
        load_product(data)
    assert excinfo.value.details["field"] == "versions[0].clauses[4].legal_consequence"
    assert not Product.objects.exists()


def test_an_exemption_clause_cannot_be_loaded_unmarked_il_17():
    data = home_file()
    data["versions"][0]["clauses"][4]["must_be_explained"] = False
    with pytest.raises(ValidationFailed) as excinfo:
        load_product(data)
    assert excinfo.value.details["field"] == "versions[0].clauses[4].must_be_explained"


@pytest.mark.parametrize(
    ("mutate", "field"),
    [
        (lambda d: d["product"].update(line="pet"), "product.line"),
        (
            lambda d: d["versions"][0]["clauses"][0].update(kind="poem"),
            "versions[0].clauses[0].kind",
        ),
        (
            lambda d: d["versions"][0]["clauses"][2].update(coverage="yacht"),
            "versions[0].clauses[2].coverage",
        ),
        (
            lambda d: d["versions"][0]["coverages"][0].update(deductible=-1.5),
            "versions[0].coverages[0].deductible",
        ),
        (lambda d: d["versions"][0].update(rating_method="astrology"), "versions[0].rating_method"),
        (
            lambda d: d["versions"][0]["rating_table"].pop("construction_per_mille"),
            "versions[0].rating_table.construction_per_mille",
        ),
        (lambda d: d["versions"][0].update(colour="blue"), "versions[0].colour"),
    ],
)
def test_a_bad_file_names_the_field_and_writes_nothing(mutate, field):
    data = home_file()
    mutate(data)
    with pytest.raises(ValidationFailed) as excinfo:
        load_product(data)
    assert excinfo.value.details["field"] == field
    assert not Product.objects.exists()


def test_a_file_that_is_not_toml_is_refused(tmp_path):
    path = tmp_path / "broken.toml"
    path.write_text("[product\ncode = ")
    with pytest.raises(ValidationFailed) as excinfo:
        load_files([path])
    assert excinfo.value.details["field"] == "file"


def test_an_exported_product_loads_back_without_changes(tmp_path):
    load_demo_catalogue()
    before = row_snapshot()
    for product in Product.objects.all():
        path = tmp_path / f"{product.code}.toml"
        path.write_text(dumps_toml(export_product(product)), encoding="utf-8")
        assert load_files([path]).changed == 0
    assert row_snapshot() == before


def test_the_database_refuses_an_unmarked_exemption_clause(catalogue):
    version = catalogue["harbour-home"]
    with pytest.raises(IntegrityError), transaction.atomic():
        Clause.objects.create(
            product_version=version,
            number="9.9",
            title="Hidden exclusion",
            kind=ClauseKind.EXEMPTION,
            must_be_explained=False,
            text="We do not pay for anything on Tuesdays.",
            explanation="Nothing on Tuesdays.",
            legal_consequence="Refused.",
        )


def test_the_catalog_command_exports_and_loads_back(tmp_path):
    from io import StringIO

    from django.core.management import call_command

    load_demo_catalogue()
    call_command("catalog", "export", str(tmp_path / "all"), stdout=StringIO())
    files = sorted((tmp_path / "all").glob("*.toml"))
    assert len(files) == len(demo_files())
    out = StringIO()
    call_command("catalog", "load", *map(str, files), stdout=out)
    assert "clauses: 0 created, 0 updated" in out.getvalue()

"""`insuredesk catalog load FILE…` and `insuredesk catalog export FILE [--product CODE]`.

`load` upserts products from catalogue files (TOML, or JSON of the same shape), all files in
one transaction; `export` writes one product to FILE, or, without --product, every product
to FILE taken as a directory (`<code>.toml` each). See `catalog/loading.py` for the format.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from insuredesk.catalog.loading import dumps_toml, export_product, load_files
from insuredesk.catalog.models import Product
from insuredesk.errors import DomainError


class Command(BaseCommand):
    help = "Load catalogue files into the database, or export products to catalogue files."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        load = actions.add_parser("load", help="Load (upsert) catalogue files.")
        load.add_argument("files", nargs="+")
        export = actions.add_parser("export", help="Write products as catalogue files.")
        export.add_argument("file", help="A .toml file with --product, else a directory.")
        export.add_argument("--product", help="Product code.")

    def handle(self, *args, action: str, **options):
        try:
            if action == "load":
                report = load_files(options["files"])
                self.stdout.write(self.style.SUCCESS(report.summary()))
            else:
                self.export(Path(options["file"]), options.get("product"))
        except DomainError as exc:
            where = ", ".join(f"{k}={v}" for k, v in exc.details.items())
            raise CommandError(f"{exc.message} ({where})" if where else exc.message) from exc

    def export(self, target: Path, code: str | None) -> None:
        if code:
            product = Product.objects.filter(code=code).first()
            if product is None:
                raise CommandError(f"No product {code!r}.")
            target.write_text(dumps_toml(export_product(product)), encoding="utf-8")
            self.stdout.write(f"Wrote {target}")
            return
        target.mkdir(parents=True, exist_ok=True)
        for product in Product.objects.order_by("code"):
            path = target / f"{product.code}.toml"
            path.write_text(dumps_toml(export_product(product)), encoding="utf-8")
            self.stdout.write(f"Wrote {path}")

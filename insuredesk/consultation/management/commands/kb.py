"""`insuredesk kb import FILE | export FILE | reindex | train`: the knowledge base by hand."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from insuredesk.consultation import knowledge, services
from insuredesk.consultation.choices import ArticleStatus
from insuredesk.errors import DomainError


class Command(BaseCommand):
    help = "Import, export and re-index the knowledge base; fine-tune the answer engine."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="Create or update articles from a CSV or JSONL file.")
        imp.add_argument("file")
        imp.add_argument(
            "--status",
            choices=ArticleStatus.values,
            default=ArticleStatus.PUBLISHED,
            help="Status of imported articles (default: published).",
        )
        exp = sub.add_parser("export", help="Write every article to a CSV or JSONL file.")
        exp.add_argument("file")
        sub.add_parser("reindex", help="Embed every published article and clause again.")
        train = sub.add_parser(
            "train",
            help="Fine-tune the model on answered consultations and imported Q&A articles "
            "(needs the 'train' extra: PyTorch).",
        )
        train.add_argument("--output", default=None, help="Model directory (default: data dir).")
        train.add_argument("--epochs", type=float, default=1.0)
        train.add_argument("--minutes", type=float, default=30.0, help="Time budget.")
        # Parameters of the benchmark's training (`insuredesk bench answers --train`).
        train.add_argument(
            "--insuranceqa",
            choices=("en", "zh"),
            default=None,
            help="Train on InsuranceQA's train split instead (benchmark).",
        )
        train.add_argument(
            "--insuranceqa-cache", default=None, help="Where the InsuranceQA data set is kept."
        )

    def handle(self, *args, action: str, **options):
        try:
            getattr(self, f"do_{action}")(**options)
        except DomainError as exc:
            raise CommandError(exc.message) from exc

    def do_import(self, *, file: str, status: str, **_):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {file}")
        fmt = services.knowledge.file_format(path.name)
        try:
            text = path.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError as exc:
            raise CommandError(f"{file} is not UTF-8 text: {exc}") from exc
        try:
            result = services.import_articles(
                text=text,
                fmt=fmt,
                actor=None,
                now=timezone.now(),
                status=status,
                refresh_index=False,
            )
        except services.ImportRejected as exc:
            for error in exc.errors:
                self.stderr.write(f"{file}:{error.line}: {error.field}: {error.message}")
            raise CommandError(
                f"{len(exc.errors)} bad row(s) in {file}; nothing was imported."
            ) from exc
        self.stdout.write(
            f"{result.created} created, {result.updated} updated, {result.unchanged} unchanged."
        )
        if result.article_ids:
            self.stdout.write("Updating the answer index…")
            knowledge.refresh(article_ids=result.article_ids, progress=True)
            self.stdout.write(f"Index: {len(knowledge.get_index())} passages.")

    def do_export(self, *, file: str, **_):
        path = Path(file)
        fmt = services.knowledge.file_format(path.name)
        text = services.export_articles(fmt=fmt)
        path.write_text(text, encoding="utf-8")
        self.stdout.write(f"Wrote {file} ({fmt}).")

    def do_reindex(self, **_):
        index = knowledge.rebuild_index(progress=True)
        self.stdout.write(f"Index rebuilt: {len(index)} passages in {knowledge.index_dir()}.")

    def do_train(self, *, output, epochs, minutes, insuranceqa, insuranceqa_cache, **_):
        from insuredesk.consultation import fine_tuning

        try:
            model = fine_tuning.train(
                output=output,
                epochs=epochs,
                minutes=minutes,
                insuranceqa=insuranceqa,
                insuranceqa_cache=insuranceqa_cache,
                log=self.stdout.write,
            )
        except RuntimeError as exc:  # the train extra is missing, or nothing to train on
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Model saved in {model}.")

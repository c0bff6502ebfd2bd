"""Build the planning report as PDF bytes, or write it to a file.

    build_report(project, paper="a4", clock=..., catalog=None) -> bytes
    write_report(project, path, paper=None) -> None

The same project, prices and clock give the same bytes: reportlab runs in invariant mode, the
PDF's creation date is the clock's, and so is "today" for the costs (the start of a plan with no
start date, and the age of the price data). The page footer says "page N of M", so the story is laid
out twice: once to count the pages, once to draw them with the total known.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate

import tunewise
from tunewise.core.dataset import plan
from tunewise.core.evaluation import Evaluation, evaluate
from tunewise.core.prices import PriceCatalog
from tunewise.core.project import Project
from tunewise.core.storage import atomic_write
from tunewise.report import sections
from tunewise.report.analyses import analysis_sections
from tunewise.report.blocks import Heading
from tunewise.report.charts import _fit, cost_bands
from tunewise.report.context import Context
from tunewise.report.cost_section import cost_section
from tunewise.report.dataset_section import dataset_section
from tunewise.report.experiment_section import experiment_section
from tunewise.report.fonts import register_fonts
from tunewise.report.price_sources import price_sources
from tunewise.report.scenario_section import scenario_section
from tunewise.report.script import visual
from tunewise.report.styles import (
    MARGIN_BOTTOM,
    MARGIN_TOP,
    MARGIN_X,
    MUTED,
    PAGE_SIZES,
    RULE,
    Paper,
    default_paper,
    plain,
)
from tunewise.report.uncertainty_section import has_ranges, result_for, uncertainty_section

Clock = Callable[[], datetime]


def _now() -> datetime:
    return datetime.now(UTC).astimezone()


def _pdf_date(moment: datetime) -> str:
    offset = moment.utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset is not None else 0
    sign = "+" if minutes >= 0 else "-"
    hours, mins = divmod(abs(minutes), 60)
    return f"D:{moment:%Y%m%d%H%M%S}{sign}{hours:02d}'{mins:02d}'"


class _ReportTemplate(BaseDocTemplate):  # type: ignore[misc]  # reportlab is untyped
    """One page template with header and footer; headings become outline entries."""

    def __init__(self, target: io.BytesIO, *, paper: Paper, ctx: Context,
                 total_pages: int | None, **kw: Any) -> None:
        width, height = PAGE_SIZES[paper]
        super().__init__(target, pagesize=(width, height), leftMargin=MARGIN_X,
                         rightMargin=MARGIN_X, topMargin=MARGIN_TOP, bottomMargin=MARGIN_BOTTOM,
                         invariant=True, **kw)
        self.ctx = ctx
        self.total_pages = total_pages
        frame = Frame(self.leftMargin, self.bottomMargin, self.width, self.height, id="body",
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        self.addPageTemplates([PageTemplate("page", [frame], onPage=self._decorate)])

    def afterFlowable(self, flowable: Flowable) -> None:
        if isinstance(flowable, Heading):
            self.canv.bookmarkPage(flowable.outline_key)
            self.canv.addOutlineEntry(plain(flowable.outline_title), flowable.outline_key,
                                      level=flowable.outline_level, closed=False)

    def _decorate(self, canv: Canvas, doc: BaseDocTemplate) -> None:
        regular, bold = register_fonts()
        width, height = self.pagesize
        page = canv.getPageNumber()
        if page == 1:
            canv.setDateFormatter(lambda *_: _pdf_date(self.ctx.when))
            canv.showOutline()
        canv.saveState()
        top = height - MARGIN_TOP + 10 * 1.0
        canv.setStrokeColor(RULE)
        canv.setLineWidth(0.5)
        canv.line(MARGIN_X, top - 4, width - MARGIN_X, top - 4)
        canv.setFillColor(MUTED)
        canv.setFont(bold, 7.5)
        label = "Tunewise planning report"
        canv.drawString(MARGIN_X, top, label)
        canv.setFont(regular, 7.5)
        room = width - 2 * MARGIN_X - canv.stringWidth(label, bold, 7.5) - 24
        name = plain(self.ctx.evaluation.project.metadata.name).replace("\n", " ")
        name = _fit(visual(name), regular, 7.5, room)
        canv.drawRightString(width - MARGIN_X, top, name)
        bottom = MARGIN_BOTTOM - 12
        canv.line(MARGIN_X, bottom + 9, width - MARGIN_X, bottom + 9)
        canv.drawString(MARGIN_X, bottom, f"Prepared {self.ctx.date} with Tunewise "
                                          f"{self.ctx.version}")
        total = self.total_pages if self.total_pages is not None else 999
        canv.drawRightString(width - MARGIN_X, bottom, f"Page {page} of {total}")
        canv.restoreState()


def _story(ctx: Context) -> list[Flowable]:
    story: list[Flowable] = []
    story += sections.title_block(ctx)
    story += sections.summary(ctx)
    story += sections.decision_path(ctx)
    story += sections.signals(ctx)
    story += sections.blockers_and_warnings(ctx)
    story += dataset_section(ctx)
    story += experiment_section(ctx)
    bands = result_for(ctx.evaluation).bands if has_ranges(ctx.evaluation) else None
    with cost_bands(bands):
        story += cost_section(ctx)
    story += analysis_sections(ctx)
    story += uncertainty_section(ctx)
    story += scenario_section(ctx)
    story += sections.combination(ctx)
    story += sections.next_steps(ctx)
    story += price_sources(ctx)
    return story


def _layout(evaluation: Evaluation, paper: Paper, when: datetime,
            total_pages: int | None, dataset_status: tuple[plan.FileStatus, str] | None = None
            ) -> tuple[bytes, int]:
    project = evaluation.project
    width = PAGE_SIZES[paper][0] - 2 * MARGIN_X
    ctx = Context(evaluation=evaluation, width=width, when=when, version=tunewise.__version__,
                  dataset_status=dataset_status)
    name = plain(project.metadata.name).replace("\n", " ")
    target = io.BytesIO()
    doc = _ReportTemplate(
        target, paper=paper, ctx=ctx, total_pages=total_pages,
        title=f"{name}: planning report",
        author=plain(project.metadata.author).strip() or "Tunewise",
        subject=f"Recommendation: {evaluation.assessment.headline}",
        creator=f"Tunewise {tunewise.__version__}",
        producer=f"Tunewise {tunewise.__version__} (ReportLab)",
        keywords=["LLM", "fine-tuning", "RAG", "prompt engineering", "planning"],
        lang="en",
        displayDocTitle=True,
    )
    doc.build(_story(ctx))
    return target.getvalue(), doc.page


def build_report(project: Project, *, paper: Paper | None = None,
                 clock: Clock | None = None, catalog: PriceCatalog | None = None,
                 project_path: Path | None = None) -> bytes:
    """The planning report for `project` as PDF bytes.

    paper None takes the locale's paper size (Letter in the US, Canada, Mexico, the Philippines
    and a few more; A4 elsewhere). An approach whose prices are unknown is left out of the costs
    and named in the report; everything else still prints. `catalog` None uses the prices
    in use (the bundled or refreshed ones). `project_path` is the plan's file: the examples
    file it names is looked for from there (once per report, as reading it means hashing it).
    """
    register_fonts()
    chosen: Paper = paper if paper is not None else default_paper()
    if chosen not in PAGE_SIZES:
        raise ValueError(f"paper must be 'a4' or 'letter', not {chosen!r}")
    when = (clock or _now)()
    evaluation = evaluate(project, catalog, strict=False, today=when.date())
    status = _dataset_status(project, project_path)
    _, pages = _layout(evaluation, chosen, when, None, status)
    pdf, second = _layout(evaluation, chosen, when, pages, status)
    if second != pages:  # the footer text cannot change the flow, but never print a wrong "of M"
        pdf, _ = _layout(evaluation, chosen, when, second, status)
    return pdf


def _dataset_status(project: Project, project_path: Path | None
                    ) -> tuple[plan.FileStatus, str] | None:
    """Whether the plan's examples file is still there unchanged; None if it cannot be looked
    for (a relative path and no plan file to start from)."""
    ref = project.dataset
    if ref is None or (project_path is None and not Path(ref.path).is_absolute()):
        return None
    return plan.file_status(project, project_path)


def write_report(project: Project, path: str | Path, *, paper: Paper | None = None,
                 clock: Clock | None = None, project_path: Path | None = None) -> None:
    """Build the report and write it atomically: `path` holds the old file or the whole PDF."""
    atomic_write(Path(path), build_report(project, paper=paper, clock=clock,
                                          project_path=project_path))

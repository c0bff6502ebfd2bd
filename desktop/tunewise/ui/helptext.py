"""The About box and the short guide to the method, in our own words."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from tunewise import __version__
from tunewise.core.prices import default_catalog

LIBRARIES: tuple[tuple[str, str, str], ...] = (
    ("Qt / PySide6", "PySide6-Essentials", "LGPL v3"),
    ("pyqtgraph", "pyqtgraph", "MIT"),
    ("pydantic", "pydantic", "MIT"),
    ("ReportLab", "reportlab", "BSD"),
    ("NumPy", "numpy", "BSD"),
    ("genai-prices", "genai-prices", "MIT"),
)


def _version_of(distribution: str) -> str:
    try:
        return version(distribution)
    except PackageNotFoundError:
        return "not installed"


def about_html() -> str:
    rows = "".join(
        f"<tr><td>{name}</td><td>&nbsp;{_version_of(dist)}</td><td>&nbsp;{licence}</td></tr>"
        for name, dist, licence in LIBRARIES
    )
    return (
        f"<h3>Tunewise {__version__}</h3>"
        "<p>Helps a team choose between prompt engineering, retrieval, fine-tuning or a mix of "
        "them for an LLM feature, and shows what each would cost over time.</p>"
        f"<p><b>Prices:</b> {default_catalog().as_of}.</p>"
        "<p><b>Bundled libraries</b></p>"
        f"<table>{rows}</table>"
        "<p>Qt and PySide6 are used under the GNU LGPL version 3; their source is available "
        "from qt.io.</p>"
    )


GUIDE_HTML = """
<h2>How Tunewise decides</h2>
<p>Tunewise walks four questions in order and stops at the first one that settles the matter.
The flowchart on the left shows where it stopped and why.</p>
<ol>
<li><b>Does few-shot prompting already do the job?</b> Put about twenty of your best examples in
the prompt and score it on cases it has not seen. If it gets within 90% of the quality you need,
a well-kept prompt is the cheapest answer.</li>
<li><b>Is the gap missing knowledge?</b> If answers go wrong because the model lacks your
documents or recent facts, retrieval hands it those facts per question.</li>
<li><b>Is the gap behaviour?</b> Tone, vocabulary, output format or a fixed way of reasoning are
what training changes well. If neither knowledge nor behaviour is the gap, sharpen the problem
before picking a tool.</li>
<li><b>Are there 200 or more reviewed examples?</b> With them, fine-tune. Without them, keep
prompting and collect examples as you go.</li>
</ol>
<p><b>Signs for and against.</b> Six signs make training more attractive (fixed voice,
specialist terms, strict format, latency, cost at volume, a set method). Some conditions rule
it out for now: requirements that keep moving, no way to measure quality, no GPU. Tunewise then
falls back to the safe option and says how to lift each blocker.</p>
<p><b>Combinations.</b> When behaviour is the gap and facts matter too, or each request brings
its own context, a mix often beats any single approach. Answer the later pages even when the
flowchart stopped early: that is where combinations come from.</p>
<p><b>Costs.</b> Every approach is costed from its tokens per request, model prices, build hours,
upkeep and retraining or re-indexing. The chart adds it all up day by day; where two lines cross,
the one with the bigger upfront bill has paid for itself.</p>
"""

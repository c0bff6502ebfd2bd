"""The About box, the short guide to the method, and the help for each page, in our own words."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape
from importlib.metadata import PackageNotFoundError, version

from PySide6.QtWidgets import QAbstractButton, QWizardPage

from tunewise import __version__
from tunewise.core import texts
from tunewise.core.fieldpath import ApproachInput, Attr, FieldPath, PriceOverride
from tunewise.core.market import STALE_AFTER_DAYS
from tunewise.core.prices import default_catalog
from tunewise.core.project import SIGNS_FOR
from tunewise.core.results import Assessment
from tunewise.ui.fields import Field
from tunewise.ui.wizard.behaviour import BehaviourPage
from tunewise.ui.wizard.constraints import ConstraintsPage
from tunewise.ui.wizard.costs import CostsPage
from tunewise.ui.wizard.data import DataPage
from tunewise.ui.wizard.few_shot import FewShotPage
from tunewise.ui.wizard.knowledge import KnowledgePage
from tunewise.ui.wizard.project_info import ProjectInfoPage
from tunewise.ui.wizard.results import ResultsPage

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


# ---- help for each page (F1) --------------------------------------------------------------
#
# One entry per wizard page, keyed by the page's key; within it, one explanation per field,
# keyed by `field_key(path)`. The pages' own one-line hints say what to type; these say what a
# field means, where the number comes from and what it changes. The thresholds the flowchart
# uses are not written here: the question, as the flowchart states it, heads the page's help.


@dataclass(frozen=True)
class PageHelp:
    intro: str
    fields: Mapping[str, str]
    more: tuple[tuple[str, str], ...] = ()  # further topics on the page: (heading, text)


# Fields shown without a label of their own are named by these in the help.
FIELD_NAMES: dict[str, str] = {"note": "Notes on the signs"}


def field_key(path: FieldPath) -> str:
    """The help table's key for a field: 'costs.hourly_rate', 'approach.model', 'price.input'.

    Fields repeated on each approach's tab share one key, and so one explanation.
    """
    if isinstance(path, Attr):
        return ".".join(path.names)
    if isinstance(path, ApproachInput):
        return f"approach.{path.name}"
    if isinstance(path, PriceOverride):
        return f"price.{path.price}"
    return "note"


HORIZON = ("How many days of running costs the chart and the table add up, from 1 day to ten "
           "years. Choose the period the decision has to pay off in: a longer horizon favours "
           "approaches that cost more up front and less per request.")

NOTE = ("Optional words of your own on a sign: why it applies, who said so, what would change "
        "it. Notes are saved with the plan and printed in the report; they never change the "
        "recommendation.")

SIGN_FOR_ANSWERS = (" Yes counts it in favour of fine-tuning; No leaves it out. Unanswered "
                    "leaves it out too, except for the latency and high-volume signs, which "
                    "then follow what the numbers on the Costs page suggest.")

TOKENS = ("Tokens are the pieces of text a model reads and writes; as a rough guide, 1,000 "
          "tokens are about 750 English words.")

WORKLOAD_OVERRIDE = (" An approach's own figure, where one is set, overrides it for that approach "
                     "only; the tab and the report say so.")

_PRICE = ("Per million tokens, in USD. Empty means the price catalog's figure for this model, "
          "shown greyed in the field; type a price when your contract differs or the model is "
          "not in the catalog. It applies to every approach that uses the same model.")

# The GPU plan on the Constraints page (ui/gpu/panel.py).
GPU_HELP: dict[str, str] = {
    "costs.gpu.access": "Where a training run would happen. A hosted tuning service trains for "
                        "you, so no card of yours is involved. GPUs of your own or rented ones "
                        "must hold the whole run in their memory, which the bar beside shows. "
                        "With no budget for either, fine-tuning is ruled out until there is.",
    "costs.gpu.gpu": "The card you have, or would rent. Its memory is the line drawn on the "
                     "bar; each card in a data-parallel run holds a whole copy of the run, so "
                     "one card's memory is what counts.",
    "costs.gpu.count": "How many of that card. More cards train faster, but each one still has "
                       "to hold the model on its own.",
    "costs.gpu.model": "The open-weights model you would train. The first entry takes the "
                       "model of the fine-tuning approach on the Costs page; a model whose "
                       "weights are not published cannot run on your own cards at all.",
    "costs.gpu.method": "Full training changes every weight and keeps optimiser state for "
                        "each, so it needs the most memory. LoRA freezes the model and trains "
                        "small adapters beside it; QLoRA does the same on a 4-bit copy of the "
                        "weights and needs the least.",
    "costs.gpu.seq_len": "The longest example you would train on, in tokens. Activations grow "
                         "with it, so long examples can break a run that short ones fit.",
    "costs.gpu.batch": "How many sequences each card works on in one step. Two sequences hold "
                       "about twice the activations of one.",
    "costs.gpu.checkpointing": "Keeps only a little of each layer's working memory and "
                               "recomputes the rest when it is needed: much less memory for "
                               "long sequences, at the price of a slower run.",
    "costs.gpu.lora_rank": "How large the LoRA adapters are. Higher ranks can learn more but "
                           "hold more memory; it means nothing for full training, so it is "
                           "greyed out then.",
}
GPU_BAR = ("What one card would hold at the busiest moment of a training step: the model's "
           "weights, the optimiser's state, the gradients, the activations kept for the "
           "backward pass, and an allowance for the CUDA context and fragments. The line marks "
           "the card's memory; the part past it is hatched. It is worked out from the model's "
           "published shape, not measured: real runs vary with the training library and its "
           "settings.")

PAGE_HELP: dict[str, PageHelp] = {
    ProjectInfoPage.key: PageHelp(
        "What the plan is about and how much traffic the feature will see. The name and "
        "author head the report; the traffic drives every per-request cost.",
        {
            "metadata.name": "What the plan is called. It is shown in the window's title bar "
                             "and on the report's cover, and suggested as the file name.",
            "metadata.author": "Who is making the call, printed on the report.",
            "metadata.use_case": "The feature in a sentence or two: who asks, what it answers. "
                                 "Printed at the start of the report.",
            "costs.requests_per_day": "Requests the feature will answer per day at launch. Every "
                                      "approach's per-request cost is multiplied by it, and a "
                                      "high volume with a long prompt is a sign for fine-tuning.",
            "costs.monthly_growth": "How fast traffic grows each month, as a fraction (0.05) or "
                                    "a percentage (5%). Growth compounds day by day over the "
                                    "horizon; a negative figure means shrinking traffic.",
            "notes": "Anything the team should remember. Saved with the plan, printed in the "
                     "report, never used in the sums.",
        }),
    FewShotPage.key: PageHelp(
        "The first question: does prompting with good examples already do the job? If it does, "
        "nothing heavier is needed.",
        {
            "answers.few_shot_adequate": "Your verdict on the few-shot experiment: put about "
                                         "twenty of your best examples in the prompt and judge "
                                         "the answers on cases the model has not seen. Not "
                                         "tried means the experiment has not been run; the "
                                         "flowchart then carries on, but with less confidence.",
            "answers.few_shot_score": "The quality the experiment reached, from 0 to 1 (or as a "
                                      "percentage), measured the way you will judge the "
                                      "feature. With a target as well, the score decides this "
                                      "question and the page shows the arithmetic.",
            "answers.few_shot_examples": "How many held-out examples (cases the prompt's "
                                         "examples did not include) the typed score was "
                                         "measured on. A score on 20 examples is far less sure "
                                         "than one on 200: Tunewise works out the chance that "
                                         "the true score clears the line, and how many more "
                                         "examples would settle a close call.",
            "answers.quality_target": "The quality the feature needs, on the same scale as the "
                                      "score. The score is compared with a share of this "
                                      "target, as the question above states.",
            "answers.few_shot_model": "The model the few-shot test ran on. Prompting is only "
                                      "known to work on that model, so prompt engineering is "
                                      "costed on it: naming it here also sets prompt "
                                      "engineering's model on the Costs page, in the same "
                                      "step (one Undo takes both back), as long as that model "
                                      "is still the one last tested here or the new-plan "
                                      "default. A model you chose for prompting yourself "
                                      "stays.",
        },
        (("Run the Few-Shot Test",
          "Tunewise can run the experiment itself. It splits your examples file with a seed, "
          "puts the few-shot examples in the prompt as earlier turns of the conversation, and "
          "asks your model each held-out example on any OpenAI-compatible endpoint (OpenAI, "
          "Azure, Gemini, Together, Fireworks, Mistral, or a local server). A scorer you choose "
          "marks each answer passed or failed; requests the endpoint could not answer are "
          "errors and are left out of the score. You see the estimated cost first and can set "
          "a cap. Every answer is kept in Tunewise's own data folder as it arrives, so Cancel "
          "loses nothing and the next Run with the same settings carries on. Use This Score "
          "puts the result here in one step you can undo."),
         ("Measured score",
          "A score Tunewise measured is used instead of a typed one. It comes with a 95% "
          "interval: with 50 held-out examples the true pass rate can easily be several points "
          "either side, so a result near the line is a close call and the assessment says how "
          "many more examples would settle it."),
         ("API keys",
          "The key comes from TUNEWISE_API_KEY, the provider's usual variable, or the system's "
          "keyring, or you type it. It is never saved in the plan, its recovery copies or the "
          "report; Remember in keyring keeps it in the system's keyring for that endpoint."))),
    KnowledgePage.key: PageHelp(
        "Is the model wrong because it lacks facts? Retrieval fixes that by looking up your "
        "documents for each question; training is a poor way to teach facts that change.",
        {
            "answers.knowledge_gap": "Yes if the wrong answers come from things the model never "
                                     "saw: your products, policies, prices, recent changes. No "
                                     "if it has the facts but uses them badly.",
        }),
    BehaviourPage.key: PageHelp(
        "Is the model wrong in how it answers rather than what it knows? Tone, format, "
        "vocabulary and a fixed method are what training changes well. The signs below make "
        "fine-tuning more attractive; each is counted as the third column says.",
        {
            "answers.behavior_gap": "Yes if the facts are right but the answers sound wrong, "
                                    "break the format or skip your method.",
            **{f"answers.{sign}": texts.SIGN_HELP[sign] + SIGN_FOR_ANSWERS for sign in SIGNS_FOR},
            "note": NOTE,
        }),
    DataPage.key: PageHelp(
        "Fine-tuning learns from examples of the answers you want, so it needs enough of them "
        "and they must be good. The question above states how many the flowchart asks for.",
        {
            "answers.example_count": "Pairs of an input and its ideal output that you could "
                                     "train on today. Count only examples of the behaviour you "
                                     "want; too few is a sign against fine-tuning.",
            "answers.examples_high_quality": "Yes only if someone checked them. A tuned model "
                                             "copies its examples' mistakes as faithfully as "
                                             "their strengths.",
        },
        (("Import Examples",
          "Instead of counting from memory, let Tunewise read the file your examples are in "
          "(JSON lines in the OpenAI chat, prompt and completion, Alpaca, ShareGPT or "
          "preference format, or a CSV or TSV table with an input and an output column). It "
          "lists every line it cannot use and why, finds exact and near copies, counts tokens "
          "as OpenAI counts a training example, and points out personal data. Use in Plan "
          "fills this page's count, the training-set size and the fine-tuned approaches' "
          "tokens per request with what it measured, in one step you can undo. You can also "
          "drop the file on the window, or use File > Import Examples."),
         ("Where a measured figure comes from",
          "Under the fields each measured figure names the file and the day it was measured. "
          "If you type another number, both are shown: yours is the one the plan uses. When "
          "the file has moved or changed since, a note says so; Re-import reads it again and "
          "asks before replacing a figure you typed."),
         ("Export Split",
          "Writes three files next to each other: a few examples for the prompt, some held "
          "out to test with, and the rest to train on, from the good examples only and in "
          "the file's own format. The same seed always gives the same split."))),
    ConstraintsPage.key: PageHelp(
        "Conditions that rule training out for now, whatever the earlier answers say, and two "
        "facts that decide whether a combination of approaches fits better than one alone.",
        {
            "answers.changing_requirements": texts.SIGN_HELP["changing_requirements"]
            + " A trained model fixes today's idea of good; a prompt follows changes in minutes.",
            "answers.general_knowledge": texts.SIGN_HELP["general_knowledge"]
            + " Training cannot keep such facts current; retrieval can.",
            "answers.no_eval_criteria": texts.SIGN_HELP["no_eval_criteria"]
            + " Without a measure, nobody can tell whether a trained model is better.",
            **GPU_HELP,
            "answers.per_request_context": "Tick if each request brings its own context, such as "
                                           "the customer's account or case history. A tuned "
                                           "model then still needs a prompt to carry it.",
            "answers.edge_case_rules": "Tick if special cases change often. They are better "
                                       "kept in a short prompt you can edit than trained in.",
            "note": NOTE,
        },
        (("The memory bar", GPU_BAR),)),
    CostsPage.key: PageHelp(
        "What building and running each approach would cost. Shared rates come first, then one "
        "tab per approach, then the training runs and the retrieval index. Every edit redraws "
        "the chart on the Results page. " + TOKENS,
        {
            "costs.hourly_rate": "The cost of one hour of engineering time, in USD. It turns the "
                                 "build, data preparation and upkeep hours into money.",
            "costs.horizon_days": HORIZON,
            "costs.workload.user_input_tokens": "Tokens each request brings whatever the "
                                                "approach: the user's question and any context "
                                                "that travels with it." + WORKLOAD_OVERRIDE,
            "costs.workload.output_tokens": "Tokens in a typical answer; output is usually the "
                                            "dearest kind of token." + WORKLOAD_OVERRIDE,
            "approach.model": "The model this approach runs on. Pick one from the price catalog "
                              "or type any name; a model without a known price needs its prices "
                              "typed in below before the approach can be costed. Fine-tuning "
                              "approaches run on an offering of the offerings catalogue: "
                              "Offerings… lists every provider, base model and deployment with "
                              "its prices, fees and last days, and choosing one sets all three "
                              "at once. Closed offerings cannot be chosen. Typing a base model "
                              "takes the catalogue's first offering of it. The line under the "
                              "field gives the offering's last days counted from the plan's "
                              "start and what the costs do about them.",
            "costs.start_date": "The plan's first day, written as year-month-day (2027-01-31). "
                                "Empty means the day the plan is evaluated, so the results move "
                                "with the calendar. Offerings and models that stop taking "
                                "training jobs or stop answering are placed on the plan's days "
                                "from here; one already closed on this day cannot be costed.",
            "approach.batch_share": "The share of requests that can wait for the provider's "
                                    "batch API (answers within hours instead of seconds), from "
                                    "0 to 1. Those requests are billed at the provider's batch "
                                    "discount; where the catalogue knows none, at full price, "
                                    "and the results say so.",
            "approach.system_prompt_tokens": "The fixed instructions sent with every request. "
                                             "Long ones cost on every call; training can often "
                                             "replace most of them.",
            "approach.few_shot_tokens": "Worked examples pasted into every request's prompt.",
            "approach.retrieved_tokens": "The passages retrieval fetches from your documents and "
                                         "adds to each request.",
            "approach.user_input_tokens": "The user's question, or ticket, in tokens: for this "
                                          "approach only, when it differs from the workload.",
            "approach.output_tokens": "The length of a typical answer in tokens: for this "
                                      "approach only, when it differs from the workload.",
            "approach.price_multiplier": "Multiplies every price this approach pays: tokens, "
                                         "training, hosting and storage. Use it for prices "
                                         "you expect a year out (1.2 is 20% dearer) or a "
                                         "negotiated discount (0.8); engineering hours and "
                                         "fixed bills are not touched. A range on it shows how "
                                         "much the verdict leans on prices.",
            "approach.cached_share": "The share of each request's input tokens billed at the "
                                     "provider's cheaper cached rate, from 0 (none) to 1 (all). "
                                     "Providers cache the unchanging start of a prompt (system "
                                     "prompt and examples) when many requests repeat it: with "
                                     "1,800 fixed tokens out of 2,000, up to 0.9. Leave it at 0 "
                                     "to price every input token in full. Only a prefix as long "
                                     "as the provider's minimum is cached at all, an entry "
                                     "lives a few minutes, and a request that finds none writes "
                                     "it, at a premium with some providers; the results' table "
                                     "shows what was applied.",
            "approach.engineering_hours": "Hours to build the approach, paid once at the hourly "
                                          "rate.",
            "approach.data_prep_hours": "Hours to collect, clean and format the training set, "
                                        "paid once at the hourly rate.",
            "approach.setup_cost": "Other one-off spending in USD, such as tooling or a "
                                   "labelling service.",
            "approach.monthly_fixed": "Bills that arrive every month whatever the traffic, in "
                                      "USD: a vector store, hosting, monitoring.",
            "approach.maintenance_hours_per_month": "Hours each month to keep the approach "
                                                    "working: prompt fixes, index care, "
                                                    "checking a retrained model.",
            "price.input": _PRICE + " Input price: what each token sent to the model costs.",
            "price.cached_input": _PRICE + " Cached input price: the rate for the cached share "
                                           "of the input.",
            "price.output": _PRICE + " Output price: what each token of the answer costs.",
            "price.training": _PRICE + " Training price: what each token costs per pass during "
                                       "a training run.",
            "price.fine_tuned_input": _PRICE + " Tuned input price: input to the tuned model.",
            "price.fine_tuned_cached_input": _PRICE + " Tuned cached price: the cached share of "
                                                      "the input to the tuned model.",
            "price.fine_tuned_output": _PRICE + " Tuned output price: the tuned model's answers.",
            "price.hosting_per_hour": "USD per hour, charged for every hour a tuned model is "
                                      "deployed whether it answers or not (Azure OpenAI, "
                                      "dedicated deployments, your own GPU). Empty uses the "
                                      "offering's fee; where the catalogue knows it is charged "
                                      "but not how much, type it in here.",
            "price.storage_per_month": "USD per month for keeping the tuned model (Bedrock's "
                                       "custom model storage, Mistral). Empty uses the "
                                       "offering's fee.",
            "price.embedding": _PRICE + " Embedding price: turning documents and questions into "
                                        "vectors for retrieval.",
            "costs.training.training_tokens": "The size of the training set in tokens: roughly "
                                              "the number of examples times the tokens in one "
                                              "example, its input and ideal answer together. "
                                              "One training run costs this times the epochs "
                                              "times the training price.",
            "costs.training.method": "Supervised tuning learns from ideal answers; preference "
                                     "tuning (DPO) from pairs of a better and a worse answer; "
                                     "reinforcement tuning (RFT) from a grader's scores, billed "
                                     "by the hour where offered. An offering prices only the "
                                     "methods it lists.",
            "costs.training.epochs": "How many times a training run passes over the whole set. "
                                     "Each pass is paid for.",
            "costs.training.training_hours": "How long one training run takes, in hours. Only "
                                             "offerings billed by the hour need it, such as "
                                             "reinforcement tuning. Self-hosted runs are worked "
                                             "out from the GPU plan; a number here overrides "
                                             "that. Token-billed offerings ignore it.",
            "costs.gpu.serving_gpu": "The card a self-hosted tuned model is served on. Tunewise "
                                     "rents as many as the busiest hour needs, worked out from "
                                     "the card's memory bandwidth and the model's size, so the "
                                     "bill steps up as traffic grows.",
            "costs.gpu.peak_factor": "How much busier the busiest hour is than the day's "
                                     "average. 3 means the day's requests arrive within 8 "
                                     "working hours; traffic spread round the clock is nearer "
                                     "1.5.",
            "costs.gpu.serving_tokens_per_second": "Output tokens a second one serving card "
                                                   "gives, if you have measured it (for "
                                                   "example with vLLM's benchmark). Empty "
                                                   "estimates it from the card's bandwidth.",
            "costs.gpu.mfu": "The share of the card's bf16 peak a training run actually "
                             "reaches. Tuned runs reach 30 to 50%; empty uses the default, "
                             "lowered for QLoRA, which spends time unpacking its 4-bit weights.",
            "costs.training.evaluation_cost": "What checking each trained model costs in USD "
                                              "before it ships: the first one up front, each "
                                              "retrained one on its day.",
            "costs.training.retrain_every_months": "How often the model is trained again on "
                                                   "fresh examples, each time costing a run and "
                                                   "its evaluation. 0 means train once.",
            "costs.retrieval.embedding_model": "The model that turns your documents, and each "
                                               "question, into vectors so the right passages "
                                               "can be found.",
            "costs.retrieval.corpus_tokens": "All the documents retrieval searches, in tokens. "
                                             "Embedding them is paid up front and again at each "
                                             "re-index.",
            "costs.retrieval.reindex_every_months": "How often the documents are embedded again "
                                                    "to pick up changes. 0 means index once.",
        },
        (("First month", "The table's monthly figure is the first month's: traffic at the "
                       "starting volume, monthly bills, upkeep, and retraining or re-indexing "
                       "spread over their months. Growth raises later months."),)),
    ResultsPage.key: PageHelp(
        "What the answers and the costs add up to. The recommendation and its confidence come "
        "first, the reasons beside the chart, and the cost of every approach below.",
        {"costs.horizon_days": HORIZON},
        (
            ("Chart", "Each line is one approach's total spending from launch, day by day. "
                      "Where two lines cross, the one that cost more up front has paid for "
                      "itself. Point at the chart to read every approach's total on that day."),
            ("Table", "Runs on is the model, or for fine-tuning the offering, each approach "
                      "is costed on. Upfront is build time, data preparation, other setup, the "
                      "first training run and its evaluation, and the first indexing. Per "
                      "request is one answer's tokens at those prices, with caching and batching "
                      "as applied (point at it to read how). First month is the first month's "
                      "spend, hosting and storage fees included. At horizon is the total on the "
                      "horizon's last day. The recommended approach is in bold."),
            ("Forced moves", "When an offering stops taking training jobs or a model stops "
                             "answering within the horizon, the line under the table says when "
                             "and what the plan does: move to the catalogue's alternative "
                             "(re-training and re-evaluation, marked on the chart with a "
                             "diamond) or end."),
            ("Price data", "The footer gives the dates of the inference prices and of the "
                           "offerings catalogue in use. Price data older than "
                           f"{STALE_AFTER_DAYS} days is flagged; Prices > Update Inference "
                           "Prices fetches genai-prices' newest data, and Prices > Install "
                           "Offerings Catalogue takes a newer catalogue file."),
            ("Export", "Export saves the chart as a PNG image or an SVG drawing, or the daily "
                       "figures as a CSV file for a spreadsheet. File > Export Report as PDF "
                       "saves the whole plan."),
            ("Ranges", "Edit > Ranges… takes a low, likely and high figure for any cost input "
                       "you are unsure of (traffic, hours, a price multiplier). Show ranges "
                       "then shades, under each line, where its total falls in eight draws of "
                       "ten; the lines themselves stay the plan's own figures. PERT weights "
                       "the draws toward likely, triangular less so; the seed makes the same "
                       "draws each time."),
            ("Uncertainty tab", "Each approach's total at the horizon in one draw of ten "
                                "(P10), the middle draw (P50) and nine of ten (P90), and how "
                                "often it is the cheapest; when the recommendation earns back "
                                "its upfront cost; the odds of the few-shot score; and the "
                                "tornado: how far each ranged input, from its low to its high, "
                                "moves the gap between the recommendation and the next "
                                "cheapest, widest first."),
            ("Scenarios", "Edit > Scenarios… names variants of the plan that set a few inputs "
                          "otherwise (three times the traffic, another model). Show, above the "
                          "chart, draws one scenario's results; the plan keeps its own "
                          "figures. The Scenarios tab puts the plan and every scenario side by "
                          "side: recommendation, confidence, the cheapest approach and each "
                          "total at the horizon."),
        )),
}


def _definition(label: str, text: str) -> str:
    return f"<dt><b>{escape(label)}</b></dt><dd>{escape(text)}</dd>"


def page_help_html(page_key: str, title: str, fields: Sequence[tuple[str, str]],
                   question: str = "") -> str:
    """Help for one page: its question, what it is for, then every field on it by its label.

    `fields` are (field key, label as shown) in page order; a field repeated on several tabs
    is explained once. A field missing from the table is listed with a plain apology rather
    than left out.
    """
    entry = PAGE_HELP.get(page_key, PageHelp("", {}))
    parts = [f"<h2>{escape(title)}</h2>"]
    if question:
        parts.append(f"<p><b>{escape(question)}</b></p>")
    if entry.intro:
        parts.append(f"<p>{escape(entry.intro)}</p>")
    seen: set[str] = set()
    rows = []
    for key, label in fields:
        if key in seen:
            continue
        seen.add(key)
        name = FIELD_NAMES.get(key) or label.replace("&", "").rstrip(":") or key
        rows.append(_definition(name, entry.fields.get(key, "No help is written for this yet.")))
    if rows:
        parts.append("<dl>" + "".join(rows) + "</dl>")
    for heading, text in entry.more:
        parts.append(f"<h3>{escape(heading)}</h3><p>{escape(text)}</p>")
    return "".join(parts)


def _label(field: Field) -> str:
    text = field.label.text()
    box = getattr(field, "box", None)
    if not text and isinstance(box, QAbstractButton):
        text = box.text()  # a check box carries its own label
    return text


def page_help(page: QWizardPage, assessment: Assessment) -> str:
    """The help for a wizard page as it stands: its question as the flowchart asks it, and
    every field it shows."""
    key = str(getattr(page, "key", ""))
    fields: list[Field] = list(getattr(page, "fields", []))
    if isinstance(page, ResultsPage):
        fields = [page.dashboard.horizon]
    question = assessment.diagram.question(key)
    return page_help_html(key, page.title(), [(field_key(f.path), _label(f)) for f in fields],
                          question.label if question is not None else "")

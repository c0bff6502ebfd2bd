"""The `tunewise gpu` subcommand: training-memory estimates and the GPU catalogue, headless.

    tunewise gpu estimate --model ID --method full|full-bf16|lora|qlora --seq N [--batch N]
                          [--no-checkpointing] [--lora-rank R] [--gpu ID] [--json]
    tunewise gpu list-models [--json]
    tunewise gpu list-gpus [--json]

Every number comes from core/gpu (`memory.estimate`, `feasibility.fit`, the catalogue); this
module only parses the command line and lays the answers out. A handler returns the text to
print or a JSON document; bad input (an unknown id, a sequence longer than the model's context,
unreadable catalogue data) raises `BadInput`, which `__main__` turns into one line and exit 2.
Numbers that are not whole numbers of at least 1 are refused by argparse, naming the option.
"""

from __future__ import annotations

import argparse
from typing import Any, TypeVar

ACTIONS = ("estimate", "list-models", "list-gpus")
# Checked when it runs, so building the parser imports nothing (pydantic, the data files);
# tests/core/test_cli_gpu.py checks it matches core.gpu.memory.METHODS.
METHOD_CHOICES = ("full", "full-bf16", "lora", "qlora")
DECIMALS = 3  # GiB in --json: a megabyte is enough to see a difference; more is noise

Document = dict[str, Any]
P = TypeVar("P", bound=argparse.ArgumentParser)


class BadInput(ValueError):
    """Input the command cannot work with; the message is the one line the user reads."""


def at_least_one(text: str) -> int:
    """A whole number of at least 1 (argparse adds the option's name to the message)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


def add_parser(sub: argparse._SubParsersAction[P]) -> None:
    """The `gpu` subcommand and its actions, on the main parser's subcommands."""
    gpu = sub.add_parser("gpu", help="estimate GPU memory for fine-tuning; list models and GPUs")
    # The actions share the main parser's class, so their errors are one line and exit 2 too.
    actions = gpu.add_subparsers(dest="action", required=True, parser_class=type(gpu))
    estimate = actions.add_parser("estimate", help="peak GPU memory of one training run, by "
                                  "part, and whether it fits a card")
    estimate.add_argument("--model", required=True, help="an open-weights model id "
                          "(tunewise gpu list-models)")
    estimate.add_argument("--method", required=True, choices=METHOD_CHOICES)
    estimate.add_argument("--seq", type=at_least_one, required=True, metavar="N",
                          help="training sequence length in tokens")
    estimate.add_argument("--batch", type=at_least_one, default=1, metavar="N",
                          help="sequences per step on the GPU (default 1)")
    estimate.add_argument("--no-checkpointing", action="store_true",
                          help="keep every layer's activations instead of recomputing them")
    estimate.add_argument("--lora-rank", type=at_least_one, default=16, metavar="R",
                          help="LoRA/QLoRA adapter rank (default 16)")
    estimate.add_argument("--gpu", default=None, metavar="ID",
                          help="a card to check the estimate against (tunewise gpu list-gpus)")
    estimate.add_argument("--json", action="store_true", help="one JSON document on stdout")
    for name, what in (("list-models", "the open-weights models Tunewise can size"),
                       ("list-gpus", "the GPU cards Tunewise knows, with rental prices")):
        listing = actions.add_parser(name, help=what)
        listing.add_argument("--json", action="store_true", help="one JSON document on stdout")


def run(args: argparse.Namespace) -> str | Document:
    """The text to print, or the JSON document when --json was given."""
    from tunewise.core.gpu import catalogue

    try:
        if args.action == "estimate":
            return _estimate(args)
        if args.action == "list-models":
            return _list_models(args.json)
        return _list_gpus(args.json)
    except (catalogue.UnknownId, catalogue.GpuDataError) as error:
        raise BadInput(str(error)) from None


def _gib(value: float) -> float:
    return round(value, DECIMALS)


def _safe(text: str) -> str:
    """Data-file text for a terminal: anything unprintable shown as an escape."""
    return "".join(c if c.isprintable() else f"\\u{ord(c):04x}" for c in text)


def _estimate(args: argparse.Namespace) -> str | Document:
    from tunewise.core.gpu import catalogue, feasibility, memory

    model = catalogue.models().get(args.model)
    gpu = catalogue.gpus().get(args.gpu) if args.gpu is not None else None
    if args.seq > model.max_context:
        raise BadInput(f"--seq {args.seq:,} is longer than {model.name}'s context window "
                       f"({model.max_context:,} tokens).")
    est = memory.estimate(model, args.method, args.seq, args.batch,
                          checkpointing=not args.no_checkpointing, lora_rank=args.lora_rank)
    fit = feasibility.fit(est, gpu) if gpu is not None else None
    adapters = est.method in ("lora", "qlora")
    if args.json:
        doc: Document = {
            "model": model.id, "method": est.method, "seq_len": est.seq_len,
            "batch": est.batch, "checkpointing": est.checkpointing,
            "lora_rank": est.lora_rank if adapters else None,
            "total_gib": _gib(est.total_gib),
            **{f"{part}_gib": _gib(size / catalogue.GIB) for part, size in est.parts().items()},
            "trainable_parameters": est.trainable_parameters,
            "peak_holds": est.peak_holds,
        }
        if fit is not None:
            doc |= {"gpu": fit.gpu.id, "gpu_memory_gib": fit.gpu.memory_gib, "fits": fit.fits,
                    "headroom_gib": _gib(fit.headroom / catalogue.GIB)}
        return doc
    setup = [f"{memory.METHOD_LABELS[est.method]} of {model.name} ({model.id})",
             f"{est.seq_len:,} tokens", f"batch {est.batch}",
             "gradient checkpointing " + ("on" if est.checkpointing else "off")]
    if adapters:
        setup.append(f"LoRA rank {est.lora_rank}")
    rows = [(memory.PART_LABELS[part], f"{size / catalogue.GIB:,.3f} GiB")
            for part, size in est.parts().items()]
    rows.append(("Peak", f"{est.total_gib:,.3f} GiB"))
    label_w = max(len(label) for label, _ in rows)
    value_w = max(len(value) for _, value in rows)
    lines = [", ".join(setup), ""]
    for label, value in rows:
        if label == "Peak":
            lines.append("  " + "-" * (label_w + 2 + value_w))
        lines.append(f"  {label:<{label_w}}  {value:>{value_w}}")
    if est.peak_holds == "activations":
        why = (f"no gradients are written yet ({est.gradients / catalogue.GIB:,.3f} GiB come as "
               "the activations are freed)")
    else:
        why = (f"the activations ({est.activations / catalogue.GIB:,.3f} GiB) have been freed "
               "by then")
    lines += ["", f"The parts are what memory holds at the peak: {why}.",
              f"Trainable parameters: {est.trainable_parameters:,}"]
    if fit is not None:
        verdict = "Fits" if fit.fits else "Does not fit"
        lines.append(f"{verdict}: {fit.text}.")
    return "\n".join(_safe(line) for line in lines)


def _columns(header: list[str], rows: list[list[str]], right: set[int]) -> str:
    """An aligned plain-text table, two spaces between columns."""
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        return "  ".join(c.rjust(w) if i in right else c.ljust(w)
                         for i, (c, w) in enumerate(zip(cells, widths, strict=True))).rstrip()

    return "\n".join([line(header), *(line([_safe(c) for c in r]) for r in rows)])


def _list_models(as_json: bool) -> str | Document:
    from tunewise.core.gpu import catalogue

    found = catalogue.models()
    if as_json:
        fields = ("id", "name", "hf_repo", "parameters", "layers", "hidden_size",
                  "intermediate_size", "attention_heads", "kv_heads", "head_dim", "vocab_size",
                  "max_context", "licence")
        return {"as_of": found.as_of.isoformat(),
                "models": [m.model_dump(mode="json", include=set(fields))
                           for m in found.models]}
    header = ["ID", "Name", "Params (B)", "Layers", "Hidden", "Vocab", "Context", "Licence"]
    rows = [[m.id, m.name, f"{m.billions:,.2f}", str(m.layers), f"{m.hidden_size:,}",
             f"{m.vocab_size:,}", f"{m.max_context:,}", m.licence] for m in found.models]
    return (_columns(header, rows, right={2, 3, 4, 5, 6})
            + f"\n\nModel data as of {found.as_of.isoformat()}.")


def _list_gpus(as_json: bool) -> str | Document:
    from tunewise.core.gpu import catalogue
    from tunewise.core.texts import money

    found = catalogue.gpus()
    if as_json:
        fields = ("id", "name", "kind", "memory_gib", "bf16_tflops", "bandwidth_gbs",
                  "rental_per_hour", "rental_as_of")
        return {"as_of": found.as_of.isoformat(), "currency": "USD",
                "gpus": [g.model_dump(mode="json", include=set(fields)) for g in found.gpus]}
    header = ["ID", "Name", "Memory (GiB)", "bf16 TFLOPS", "Bandwidth (GB/s)", "$/hour",
              "Price as of"]
    rows = [[g.id, g.name, f"{g.memory_gib:g}", f"{g.bf16_tflops:,.1f}",
             f"{g.bandwidth_gbs:,.0f}",
             "-" if g.rental_per_hour is None else money(g.rental_per_hour),
             "-" if g.rental_as_of is None else g.rental_as_of.isoformat()]
            for g in found.gpus]
    return (_columns(header, rows, right={2, 3, 4, 5})
            + "\n\nTFLOPS are dense (no sparsity); $/hour is a typical on-demand rental of one "
            f"card. GPU data as of {found.as_of.isoformat()}.")


"""Self-hosted fine-tuning as the cost model prices it: training hours on cards, serving GPUs.

An offering whose provider is "self-hosted" (resources/market/offerings.json) is the team's own
infrastructure. Its costs come from the GPU plan (`costs.gpu`) rather than a price list:
- a training run takes the hours `throughput.training_hours` works out from the training
  tokens, epochs and the card's bf16 peak at the plan's utilisation (or the hours typed under
  Fine-tuning runs), times the cards' rental per hour; cards of your own cost nothing an hour;
- serving rents cards of the plan's serving kind, as many as the busiest hour's traffic needs
  (`throughput.serving_gpus`), so the bill steps up as traffic grows.
The cards are the plan's own when it names them (own or rented), else the catalogue's defaults.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from tunewise.core.gpu import catalogue, throughput
from tunewise.core.project import ApproachId, CostInputs, GpuPlan

PROVIDER: Final = "self-hosted"


def serving_card(plan: GpuPlan) -> catalogue.Gpu:
    """The card self-hosted serving rents: the plan's serving card, else the default."""
    found = catalogue.gpus().find(plan.serving_gpu) if plan.serving_gpu else None
    return found or catalogue.gpus().default_serving


def training_cards(plan: GpuPlan) -> tuple[catalogue.Gpu, int, bool]:
    """The card a self-hosted run trains on, how many, and whether they are the team's own."""
    if plan.access in ("own", "rent") and plan.gpu:
        found = catalogue.gpus().find(plan.gpu)
        if found is not None:
            return found, plan.count, plan.access == "own"
    return catalogue.gpus().default_training, 1, False


def request_tokens(inputs: CostInputs, approach: ApproachId) -> tuple[int, int]:
    """A typical request's input and output tokens for one approach."""
    spec = inputs.approach(approach)
    input_tokens = (spec.system_prompt_tokens + spec.few_shot_tokens + spec.retrieved_tokens
                    + inputs.user_input_tokens(approach))
    return input_tokens, inputs.output_tokens(approach)


def serving(inputs: CostInputs, model: catalogue.OpenModel, approach: ApproachId,
            price_per_hour: float | None = None) -> throughput.ServingPlan:
    """Serving one tuned approach's requests on rented cards of the plan's serving kind."""
    plan = inputs.gpu
    input_tokens, output_tokens = request_tokens(inputs, approach)
    card = serving_card(plan)
    if price_per_hour is None and card.rental_per_hour is None:
        raise ValueError(f"no rental price is known for the {card.name}; choose another "
                         "serving card or type a hosting price per hour")
    return throughput.serving_plan(model, card, input_tokens, output_tokens,
                                   peak_factor=plan.peak_factor, price_per_hour=price_per_hour,
                                   tokens_per_second=plan.serving_tokens_per_second)


@dataclass(frozen=True)
class SelfHostedTraining:
    hours: float
    cost: float
    text: str  # where and how long, in words


def training(inputs: CostInputs, model: catalogue.OpenModel) -> SelfHostedTraining:
    """One training run on the plan's cards: typed hours, else hours from FLOPs."""
    plan = inputs.gpu
    t = inputs.training
    card, count, owned = training_cards(plan)
    if t.training_hours is not None:
        hours = t.training_hours
    else:
        hours = throughput.training_hours(model, plan.method, t.training_tokens, t.epochs, card,
                                          count, mfu=plan.mfu,
                                          checkpointing=plan.checkpointing,
                                          lora_rank=plan.lora_rank)
    cards = f"{count} {card.name} cards" if count > 1 else f"one {card.name}"
    how = "as typed" if t.training_hours is not None else (
        f"at {throughput.utilisation(plan.method, plan.mfu):.0%} of its bf16 peak")
    if owned:
        return SelfHostedTraining(hours, 0.0, f"{hours:,.1f} hours a run on {cards} of yours "
                                  f"({how}; no hourly charge counted)")
    if card.rental_per_hour is None:
        raise ValueError(f"no rental price is known for the {card.name}; choose a card with "
                         "one in the GPU plan")
    cost = hours * count * card.rental_per_hour
    return SelfHostedTraining(hours, cost, f"{hours:,.1f} hours a run on {cards} rented at "
                              f"${card.rental_per_hour:,.2f} an hour ({how})")

"""The open-weights models and GPUs Tunewise knows, from dated data files with their sources.

resources/gpu/models.json holds each model's published configuration (the numbers of its
config.json on the Hugging Face Hub); resources/gpu/gpus.json each card's memory, dense bf16
throughput, memory bandwidth and a typical rental price with its date. Rows name their sources
and say where sources disagree; a fact nobody could find is null.
"""

from __future__ import annotations

import difflib
import json
from datetime import date
from functools import cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from tunewise.paths import resource

GIB = 1024**3


class GpuDataError(ValueError):
    """A GPU data file cannot be used; the message names the file and the problem."""


class UnknownId(KeyError):
    """An id the catalogue does not hold; `closest` names the nearest known ones."""

    def __init__(self, kind: str, given: str, closest: list[str]) -> None:
        self.kind, self.given, self.closest = kind, given, closest
        hint = f"; closest: {', '.join(closest)}" if closest else ""
        super().__init__(f"unknown {kind} '{given}'{hint}")

    def __str__(self) -> str:
        return str(self.args[0])


class _Row(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Source(_Row):
    url: str
    checked: date
    says: str = ""


Positive = Annotated[int, Field(ge=1)]


class OpenModel(_Row):
    """One open-weights model's architecture, as its published config.json gives it."""

    id: str
    name: str
    hf_repo: str
    parameters: Annotated[int, Field(ge=1)]  # published total, embeddings included
    layers: Positive
    hidden_size: Positive
    intermediate_size: Positive
    attention_heads: Positive
    kv_heads: Positive
    head_dim: Positive  # hidden_size / attention_heads unless the config sets it
    vocab_size: Positive
    tied_embeddings: bool
    attention_bias: bool = False  # q, k, v projections carry a bias (Qwen2)
    max_context: Positive
    licence: str
    sources: list[Source]
    disagreements: str | None = None
    notes: str = ""

    @property
    def billions(self) -> float:
        return self.parameters / 1e9


class Gpu(_Row):
    """One GPU card: what decides whether training fits and how fast it runs."""

    id: str
    name: str
    kind: Literal["consumer", "workstation", "datacenter"]
    memory_gib: Annotated[float, Field(gt=0)]  # what the card reports, in GiB
    bf16_tflops: Annotated[float, Field(gt=0)]  # dense, without sparsity
    bandwidth_gbs: Annotated[float, Field(gt=0)]  # memory bandwidth, GB/s
    rental_per_hour: Annotated[float, Field(ge=0)] | None = None  # typical on-demand, USD
    rental_as_of: date | None = None
    sources: list[Source]
    disagreements: str | None = None
    notes: str = ""

    @property
    def memory_bytes(self) -> float:
        return self.memory_gib * GIB


class ModelsFile(_Row):
    as_of: date
    note: str = ""
    models: list[OpenModel]


class GpusFile(_Row):
    as_of: date
    note: str = ""
    currency: Literal["USD"] = "USD"
    # The cards self-hosted costs use when the plan names none.
    default_training_gpu: str
    default_serving_gpu: str
    gpus: list[Gpu]


def _closest(given: str, known: list[str]) -> list[str]:
    found = difflib.get_close_matches(given.lower(), known, n=3, cutoff=0.4)
    if not found:  # a family prefix ("qwen") still deserves suggestions
        found = [k for k in known if k.startswith(given.lower()[:4])][:3]
    return found


class ModelCatalogue:
    def __init__(self, data: ModelsFile) -> None:
        self.as_of = data.as_of
        self.models = list(data.models)
        self._by_id = {m.id: m for m in data.models}

    def ids(self) -> list[str]:
        return [m.id for m in self.models]

    def find(self, model_id: str) -> OpenModel | None:
        return self._by_id.get(model_id.strip().lower())

    def get(self, model_id: str) -> OpenModel:
        found = self.find(model_id)
        if found is None:
            raise UnknownId("model", model_id, _closest(model_id, self.ids()))
        return found


class GpuCatalogue:
    def __init__(self, data: GpusFile) -> None:
        self.as_of = data.as_of
        self.gpus = list(data.gpus)
        self._by_id = {g.id: g for g in data.gpus}
        self.default_training = self._by_id[data.default_training_gpu]
        self.default_serving = self._by_id[data.default_serving_gpu]

    def ids(self) -> list[str]:
        return [g.id for g in self.gpus]

    def find(self, gpu_id: str) -> Gpu | None:
        return self._by_id.get(gpu_id.strip().lower())

    def get(self, gpu_id: str) -> Gpu:
        found = self.find(gpu_id)
        if found is None:
            raise UnknownId("GPU", gpu_id, _closest(gpu_id, self.ids()))
        return found


def _read(path: Path) -> object:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise GpuDataError(f"{path}: cannot be read ({error})") from None


def read_models(path: Path) -> ModelCatalogue:
    try:
        data = ModelsFile.model_validate(_read(path))
    except ValidationError as error:
        raise GpuDataError(f"{path}: {error}") from None
    ids = [m.id for m in data.models]
    if len(set(ids)) != len(ids):
        raise GpuDataError(f"{path}: a model id is listed twice")
    return ModelCatalogue(data)


def read_gpus(path: Path) -> GpuCatalogue:
    try:
        data = GpusFile.model_validate(_read(path))
    except ValidationError as error:
        raise GpuDataError(f"{path}: {error}") from None
    ids = [g.id for g in data.gpus]
    if len(set(ids)) != len(ids):
        raise GpuDataError(f"{path}: a GPU id is listed twice")
    for default in (data.default_training_gpu, data.default_serving_gpu):
        if default not in ids:
            raise GpuDataError(f"{path}: the default GPU '{default}' is not listed")
    return GpuCatalogue(data)


@cache
def models() -> ModelCatalogue:
    return read_models(resource("gpu", "models.json"))


@cache
def gpus() -> GpuCatalogue:
    return read_gpus(resource("gpu", "gpus.json"))

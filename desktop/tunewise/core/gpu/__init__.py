"""GPU feasibility and self-hosted costs (issue 15).

`catalogue.py`: the open-weights models and the GPUs, read from dated data files in
resources/gpu/; `memory.py`: peak training memory by part; `feasibility.py`: fits, largest
model, longest sequence, how many GPUs; `throughput.py`: training time and cost, serving
capacity; `analysis.py`: the registered analysis and the no-GPU-budget sign's reasons.
"""

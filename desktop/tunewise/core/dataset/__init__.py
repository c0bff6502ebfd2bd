"""Evidence from the team's own examples: read, check, count, deduplicate and split a dataset.

`inspect.inspect` reads a file into a `model.DatasetReport`, `split.split` writes the few-shot,
held-out and training files, and `plan` joins a report to a project. Nothing here imports Qt,
and tiktoken is imported only when tokens are first counted.
"""

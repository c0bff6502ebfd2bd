"""The few-shot test against the team's own model (issue 14).

`client` speaks OpenAI-compatible Chat Completions, `keys` finds the API key (environment or OS
keyring, never a file), `scorers` judges each answer, `journal` keeps every answer on disk as it
arrives, and `runner` asks the held-out examples and adds it up into `model.ExperimentResult`.
Nothing here imports Qt; httpx, keyring and jsonschema are imported only when used.
"""

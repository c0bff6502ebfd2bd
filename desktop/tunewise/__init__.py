"""Tunewise: choose how to customise an LLM and see what each way costs."""

__version__ = "0.1.0"

"""The GPU plan in the app (issue 15): the editor group on the Constraints page and the stacked
bar of training memory it shares with the GPU analysis tab.

`panel.py`: the "GPU for training" group (where training runs, the card, the model, the method
and its settings) beside the bar, the words "fits" / "does not fit" and the no-GPU-budget
sign's sentence; `memory_bar.py`: the bar itself, painted from the palette. Every figure and
every "fits" comes from core/gpu; the app only draws and words them.
"""

"""The price data and the fine-tuning market in the app: the offerings dialogs and the Prices
menu (update inference prices off the GUI thread, install a catalogue, go back to the bundled
data)."""

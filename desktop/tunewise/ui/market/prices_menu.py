"""The Prices menu: refresh inference prices, install an offerings catalogue, go back to the
bundled data, and show the catalogue.

Fetching runs on a pool thread (`PriceFetch`), never on the GUI thread: a busy window offers
Cancel, and the window stays usable. Cancel reaches the core's update, which stops before the
new data is put in use or kept, so a cancelled update changes nothing. Every change of the
price data ends in `prices_changed`: caches dropped, the plan evaluated again, its results
redrawn.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QProgressDialog, QWidget

from tunewise.core import market as market_module
from tunewise.core import price_update
from tunewise.core.prices import default_catalog, reload_price_data
from tunewise.ui import dialogs
from tunewise.ui.controller import ProjectController

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMainWindow

CATALOGUE_FILTER = "Offerings catalogues (*.json);;All files (*)"
STATUS_MS = 20_000
PROGRESS_DELAY_MS = 300


class _FetchSignals(QObject):
    done = Signal(object)  # FetchedPrices
    failed = Signal(object)  # the exception


class _FetchTask(QRunnable):
    def __init__(self) -> None:
        super().__init__()
        self.signals = _FetchSignals()
        self.cancel = threading.Event()

    def run(self) -> None:
        try:
            # Looked up at call time, so tests can replace it; the URL comes from
            # TUNEWISE_PRICES_URL or genai-prices' own default.
            fetched = price_update.update_inference_prices(cancel=self.cancel)
        except BaseException as error:  # handed to the GUI thread to judge
            self.signals.failed.emit(error)
        else:
            self.signals.done.emit(fetched)


class PriceFetch(QObject):
    """One fetch of inference prices off the GUI thread, with a busy window and Cancel."""

    running: ClassVar[list[PriceFetch]] = []
    finished = Signal()

    def __init__(self, parent: QWidget, on_done: Callable[[object, bool], None],
                 on_failed: Callable[[BaseException, bool], None]) -> None:
        super().__init__()
        self.task = _FetchTask()  # the pool deletes it when it has run
        self.signals = self.task.signals
        self.on_done, self.on_failed = on_done, on_failed
        self.cancelled = False
        self.progress = QProgressDialog(
            f"Fetching inference prices from {price_update.default_url()}…", "Cancel", 0, 0,
            parent)
        self.progress.setWindowTitle("Update Inference Prices")
        self.progress.setWindowModality(Qt.WindowModality.NonModal)
        self.progress.setAutoClose(False)
        self.progress.setAutoReset(False)
        self.progress.setMinimumDuration(PROGRESS_DELAY_MS)
        self.progress.setValue(0)  # starts the clock: shown only if the fetch takes longer
        self.progress.canceled.connect(self.cancel)
        self.signals.done.connect(self._done)
        self.signals.failed.connect(self._failed)

    def start(self) -> None:
        PriceFetch.running.append(self)
        QThreadPool.globalInstance().start(self.task)

    def cancel(self) -> None:
        """Stop the update: the window closes and the core drops whatever it fetched."""
        self.cancelled = True
        self.task.cancel.set()
        self.progress.hide()

    def _end(self) -> None:
        self.progress.canceled.disconnect(self.cancel)
        self.progress.close()
        self.progress.deleteLater()
        if self in PriceFetch.running:
            PriceFetch.running.remove(self)
        self.finished.emit()

    def _done(self, fetched: object) -> None:
        self._end()
        self.on_done(fetched, self.cancelled)

    def _failed(self, error: BaseException) -> None:
        self._end()
        self.on_failed(error, self.cancelled)


class PricesMenu(QObject):
    """The Prices menu of the main window and what its actions do."""

    pricesChanged = Signal()

    def __init__(self, window: QMainWindow, controller: ProjectController) -> None:
        super().__init__(window)
        self.window = window
        self.controller = controller
        self.menu = QMenu("&Prices", window)
        self.menu.aboutToShow.connect(self._update_actions)
        self.update_action = self._add("&Update Inference Prices…", self.update_prices)
        self.install_action = self._add("&Install Offerings Catalogue…", self.install_catalogue)
        self.bundled_action = self._add("Use &Bundled Price Data", self.use_bundled)
        self.menu.addSeparator()
        self.show_action = self._add("&Show Offerings…", self.show_offerings)

    def _add(self, text: str, slot: Callable[[], object]) -> QAction:
        action = QAction(text, self.window)
        action.triggered.connect(lambda _checked=False: slot())
        self.menu.addAction(action)
        return action

    def _update_actions(self) -> None:
        fetched = price_update.load_fetched()
        self.bundled_action.setEnabled(fetched is not None or default_catalog().market.installed)
        self.update_action.setEnabled(not PriceFetch.running)

    def _status(self, text: str) -> None:
        self.window.statusBar().showMessage(text, STATUS_MS)

    def prices_changed(self) -> None:
        """The price data in use changed: drop what was read from it and evaluate again."""
        from tunewise.ui.wizard.costs import catalog_price

        reload_price_data()
        catalog_price.cache_clear()
        self.controller.reevaluate()
        self.pricesChanged.emit()

    # ---- Update Inference Prices ----------------------------------------------------------

    def update_prices(self) -> PriceFetch | None:
        if PriceFetch.running:  # one at a time: bring the one in progress forward
            fetch = PriceFetch.running[-1]
            if not fetch.cancelled:
                fetch.progress.show()
                fetch.progress.raise_()
            return None
        fetch = PriceFetch(self.window, self._fetched, self._fetch_failed)
        self._status("Fetching inference prices…")
        fetch.start()
        return fetch

    def _fetched(self, fetched: object, cancelled: bool) -> None:
        assert isinstance(fetched, price_update.FetchedPrices)
        self.prices_changed()
        after = " after you cancelled" if cancelled else ""
        self._status(f"Inference prices updated{after}: {fetched.models:,} models from "
                     f"{fetched.providers:,} providers, fetched {fetched.fetched.isoformat()}. "
                     "The plan was re-evaluated with them.")

    def _fetch_failed(self, error: BaseException, cancelled: bool) -> None:
        if cancelled or isinstance(error, price_update.PriceUpdateCancelled):
            self._status("The price update was cancelled; prices are unchanged.")
            return
        if isinstance(error, price_update.PriceUpdateError):
            message = str(error)
        else:
            message = f"Could not update prices: {type(error).__name__}: {error}"
        self._status("Prices are unchanged.")
        dialogs.error(self.window, "Update Inference Prices",
                      f"{message} The prices in use are unchanged.")

    # ---- Install Offerings Catalogue ------------------------------------------------------

    def install_catalogue(self) -> bool:
        path = dialogs.open_file_name(self.window, "Install Offerings Catalogue", "",
                                      CATALOGUE_FILTER)
        if path is None:
            return False
        try:
            installed = market_module.install_catalogue(path)
        except market_module.MarketError as error:
            dialogs.error(self.window, "Install Offerings Catalogue",
                          f"{error} The catalogue in use is unchanged.")
            return False
        except OSError as error:
            dialogs.error(self.window, "Install Offerings Catalogue",
                          f"Could not install {path.name}: {error.strerror or error}. The "
                          "catalogue in use is unchanged.")
            return False
        self.prices_changed()
        self._status(f"Offerings catalogue of {installed.as_of.isoformat()} installed "
                     f"({len(installed.offerings)} offerings). The plan was re-evaluated "
                     "with it.")
        return True

    # ---- Use Bundled Price Data -----------------------------------------------------------

    def use_bundled(self) -> bool:
        catalog = default_catalog()
        bundled = market_module.read_catalogue(market_module.bundled_path())
        fetched = price_update.load_fetched()
        forgets = []
        if fetched is not None:
            forgets.append(f"the inference prices fetched on {fetched.fetched.isoformat()}")
        if catalog.market.installed:
            forgets.append(f"the offerings catalogue of {catalog.market.as_of.isoformat()} you "
                           "installed")
        informative = ("Tunewise forgets " + " and ".join(forgets) + ". " if forgets else
                       "No downloaded or installed price data is in use. ")
        informative += (f"The bundled catalogue is dated {bundled.as_of.isoformat()}; the plan "
                        "is re-evaluated with the bundled data.")
        if not dialogs.confirm(self.window, "Use Bundled Price Data",
                               "Go back to the price data that ships with Tunewise?",
                               informative, "Use &Bundled Data"):
            return False
        price_update.forget_fetched()
        market_module.remove_installed_catalogue()
        self.prices_changed()
        self._status("Using the bundled price data. The plan was re-evaluated with it.")
        return True

    # ---- Show Offerings -------------------------------------------------------------------

    def show_offerings(self) -> None:
        dialogs.show_offerings(self.window, default_catalog().market,
                               self.controller.evaluation.costs.start_date)

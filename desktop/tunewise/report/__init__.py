"""The planning report: a printable PDF built with reportlab, never with Qt.

`tunewise.report.pdf.build_report` turns a project into PDF bytes; the CLI writes them to a file
and the app previews and prints those same bytes. `tunewise.report.series.SERIES_STYLE` holds the
colours and line styles of the cost chart, shared with the app's chart.
"""

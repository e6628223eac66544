"""Imported by the multiprocessing fork server (its `forkserver_preload`), so that the fork
server dies with the prwatch process that started it (monitor.ingest.lifeline). Imported
anywhere else it does nothing."""

import sys

from monitor.ingest.lifeline import die_with_parent

if sys.argv[:1] == ["-c"] and "multiprocessing.forkserver" in sys.modules:  # the fork server runs as `python -c`
    die_with_parent()

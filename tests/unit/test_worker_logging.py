"""The worker logs at the level it is given, and no lower."""

import logging

from ledger.config import Settings
from ledger.service import new_worker
from ledger.stream.app import create_app


def test_the_worker_leaves_the_root_logger_at_the_configured_level(tmp_path):
    settings = Settings(log_level="warning", data_dir=tmp_path)
    worker = new_worker(create_app(settings, "127.0.0.1:9", partitions=6), settings)
    root = logging.Logger("root-under-test", logging.WARNING)
    root.addHandler(logging.NullHandler())

    worker.on_setup_root_logger(root, logging.WARNING)

    assert root.level == logging.WARNING
    assert not root.isEnabledFor(logging.DEBUG)

"""The core tests' names of the shared helpers; the fixtures come from ``useg.testing.fixtures``
(loaded for every test by ``pytest.ini``)."""
from useg.testing import REPO_ROOT, config_path  # noqa: F401  (tests import them from here)
from useg.testing import single_process_loaders as _single_process_loaders  # noqa: F401

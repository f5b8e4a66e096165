import pytest

from ipsworks.matching import features


@pytest.fixture(autouse=True)
def _fresh_feature_cache():
    """Ids are reused between tests on SQLite: start each test with an empty cache."""
    features.clear_cache()
    yield
    features.clear_cache()

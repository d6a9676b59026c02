import pytest

from bot.config import SHIPPED_KNOWLEDGE_DIR, TUNED_MODEL, SettingsError, load_settings


def test_defaults_need_no_environment():
    settings = load_settings()
    assert settings.telegram_bot_token is None
    assert settings.embedding_model == TUNED_MODEL
    assert settings.knowledge_dir == SHIPPED_KNOWLEDGE_DIR
    assert settings.bot_admin_ids == frozenset()


def test_values_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123:abc")
    monkeypatch.setenv("BOT_ADMIN_IDS", "42, 7")
    monkeypatch.setenv("TELEGRAM_BASE_URL", "http://127.0.0.1:8081/bot")
    settings = load_settings()
    assert settings.telegram_bot_token.get_secret_value() == "123:abc"
    assert settings.bot_admin_ids == frozenset({42, 7})
    assert settings.telegram_base_url == "http://127.0.0.1:8081/bot"
    assert "123:abc" not in repr(settings)


@pytest.mark.parametrize(
    ("variable", "value"),
    [("BOT_ADMIN_IDS", "alice,42"), ("TELEGRAM_BASE_URL", "not a url"), ("WEBHOOK_PORT", "99999"),
     ("EMBEDDING_MODEL", "  "), ("JOURNAL_KEY", "abc123"), ("JOURNAL_KEY", "g" * 64),
     ("DATABASE_URL", "mysql://x@y/z"), ("TELEGRAM_MESSAGES_PER_SECOND", "0")],
)
def test_a_bad_value_is_one_line_naming_the_variable(monkeypatch, variable, value):
    monkeypatch.setenv(variable, value)
    with pytest.raises(SettingsError) as caught:
        load_settings()
    message = str(caught.value)
    assert message.startswith(variable + ":")
    assert "\n" not in message


def test_blank_token_means_no_token(monkeypatch):
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "  ")
    assert load_settings().telegram_bot_token is None


def test_the_journal_key_can_come_from_the_environment(monkeypatch):
    """F10: journal.key beside the journal meant any copy of BOT_DATA_DIR could undo the pseudonyms."""
    monkeypatch.setenv("JOURNAL_KEY", "0f" * 32)
    settings = load_settings()
    assert settings.journal_key_bytes() == bytes([15] * 32)
    assert "0f0f" not in repr(settings)
    monkeypatch.setenv("JOURNAL_KEY", "")
    assert load_settings().journal_key_bytes() is None


def test_a_bad_journal_key_is_not_echoed(monkeypatch):
    monkeypatch.setenv("JOURNAL_KEY", "secret-but-wrong")
    with pytest.raises(SettingsError) as caught:
        load_settings()
    assert "secret-but-wrong" not in str(caught.value)


def test_the_database_url_is_a_secret_and_blank_means_sqlite(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql://tanya:pa55word@127.0.0.1:5432/tanya")
    settings = load_settings()
    assert settings.database_url_value() == "postgresql://tanya:pa55word@127.0.0.1:5432/tanya"
    assert "pa55word" not in repr(settings)
    monkeypatch.setenv("DATABASE_URL", " ")
    assert load_settings().database_url_value() is None


def test_every_variable_the_readme_deploys_with_is_a_setting():
    """The Deployment section's environment file and unit are documentation, not checked files: this checks them."""
    import re

    from bot.config import Settings
    from tests.conftest import REPO

    deployment = (REPO / "README.md").read_text(encoding="utf-8").split("## Deployment")[1].split("\n## ")[0]
    named = set(re.findall(r"^([A-Z_]+)=", deployment, re.MULTILINE))
    named |= set(re.findall(r"^Environment=([A-Z_]+)=", deployment, re.MULTILINE))
    assert {"TELEGRAM_BOT_TOKEN", "WEBHOOK_URL", "DATABASE_URL", "JOURNAL_KEY", "WEBHOOK_PORT"} <= named
    assert named - {"HF_HUB_OFFLINE"} <= {name.upper() for name in Settings.model_fields}

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
     ("EMBEDDING_MODEL", "  ")],
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

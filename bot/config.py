"""Settings: the one place that reads the environment (and an optional `.env`).

Deployment facts live here; algorithm choices (top-k, thresholds) are constants beside their code.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from embeddings.encoder import BUNDLED_MODEL, TUNED_MODEL
from knowledge.freshness import STALE_AFTER_DAYS

SHIPPED_KNOWLEDGE_DIR = Path(__file__).resolve().parent.parent / "knowledge" / "articles"


class Settings(BaseSettings):
    """Every environment variable the bot reads, with its default and validation."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    telegram_bot_token: SecretStr | None = None
    telegram_base_url: str | None = Field(default=None, pattern=r"^https?://\S+$")
    telegram_base_file_url: str | None = Field(default=None, pattern=r"^https?://\S+$")
    webhook_url: str | None = Field(default=None, pattern=r"^https://\S+$")
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = Field(default=8443, ge=1, le=65535)
    bot_admin_ids: Annotated[frozenset[int], NoDecode] = frozenset()
    bot_data_dir: Path = Path("data")
    knowledge_dir: Path = SHIPPED_KNOWLEDGE_DIR
    embedding_model: str = TUNED_MODEL
    embedding_backend: Literal["auto", "onnx", "torch"] = "auto"
    """auto: ONNX Runtime for a model in a local folder (exported once), torch otherwise."""
    question_log_retention_days: int = Field(default=180, ge=1)
    journal_key: SecretStr | None = None
    """64 hex digits (32 random bytes) keying the journal's pseudonyms; without it, BOT_DATA_DIR/journal.key."""
    database_url: SecretStr | None = None
    """postgresql://user:password@host:port/dbname: the journal (and the replicas' coordination) in PostgreSQL,
    shared by every process of the bot; without it, an SQLite file in BOT_DATA_DIR."""
    telegram_messages_per_second: float = Field(default=30.0, gt=0)
    """Telegram's limit on messages to all chats together, shared by the live replicas; above 30 only with
    Telegram's paid broadcasts, or against a test server."""
    stale_after_days: int = Field(default=STALE_AFTER_DAYS, ge=1)
    """An answer from an article checked longer ago than this tells the worker to check the official source."""

    @field_validator("telegram_bot_token", mode="before")
    @classmethod
    def _blank_token_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("journal_key", mode="before")
    @classmethod
    def _key_is_32_bytes_of_hex(cls, value: object) -> object:
        """Kept out of BOT_DATA_DIR, a backup of that folder cannot undo the pseudonyms."""
        if isinstance(value, str) and not value.strip():
            return None
        if isinstance(value, str) and not re.fullmatch(r"[0-9a-fA-F]{64}", value.strip()):
            raise ValueError("must be 64 hex digits (32 random bytes), e.g. from: openssl rand -hex 32")
        return value.strip() if isinstance(value, str) else value

    @field_validator("database_url", mode="before")
    @classmethod
    def _postgres_url(cls, value: object) -> object:
        if isinstance(value, str) and not value.strip():
            return None
        if isinstance(value, str) and not re.match(r"^postgres(ql)?://", value.strip()):
            raise ValueError("must be a PostgreSQL URL, e.g. postgresql://tanya:secret@127.0.0.1:5432/tanya")
        return value.strip() if isinstance(value, str) else value

    def database_url_value(self) -> str | None:
        return self.database_url.get_secret_value() if self.database_url else None

    def journal_key_bytes(self) -> bytes | None:
        return bytes.fromhex(self.journal_key.get_secret_value()) if self.journal_key else None

    @field_validator("bot_admin_ids", mode="before")
    @classmethod
    def _parse_admin_ids(cls, value: object) -> object:
        """Accept "123, 456": numeric ids only, because usernames can be changed by anyone."""
        if isinstance(value, str):
            parts = [part.strip() for part in value.split(",") if part.strip()]
            if not all(part.lstrip("-").isdigit() for part in parts):
                raise ValueError("must be comma-separated numeric Telegram user ids, e.g. 12345,67890")
            return frozenset(int(part) for part in parts)
        return value

    @field_validator("embedding_model")
    @classmethod
    def _model_not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must name a sentence-transformers model or a folder holding one")
        return value.strip()


class SettingsError(Exception):
    """A configuration value is wrong; the message names the variable and is shown as one line."""


def load_settings(**overrides: object) -> Settings:
    """Read the settings, turning pydantic's report into one line per bad variable."""
    try:
        return Settings(**overrides)
    except ValidationError as error:
        lines = []
        for problem in error.errors():
            variable = "_".join(str(part) for part in problem["loc"][:1]).upper()
            lines.append(f"{variable}: {problem['msg']}")
        raise SettingsError("; ".join(lines)) from None

"""Pytest fixtures for the scripted model server: `fake_llm`, `fake_provider`, and `register_fake_provider`."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from guai.db.engine import Database
from guai.llm import get_gateway
from guai.llm.providers import add_provider
from tests.support.fake_llm import FakeLLM


def register_fake_provider(
    db: Database,
    fake: FakeLLM,
    *,
    name: str = "fake",
    kind: str = "on-prem",
    policy: str | None = None,
    default: bool = True,
    fallback: bool = False,
    embeddings: bool = True,
    images: bool = True,
    vision: bool = True,
    api_key_env: str | None = None,
    timeout_s: float = 10.0,
    max_retries: int = 2,
) -> str:
    """Register the fake server as a provider in db (on-prem by default → text goes out unmasked)."""
    with db.session() as s:
        add_provider(
            s,
            name=name,
            base_url=fake.url,
            model="fake-chat",
            kind=kind,
            policy=policy,
            default=default,
            fallback=fallback,
            embedding_model="fake-embed" if embeddings else None,
            image_model="fake-image" if images else None,
            vision=vision,
            api_key_env=api_key_env,
            timeout_s=timeout_s,
            max_retries=max_retries,
        )
    # Tests should not wait for real backoff delays.
    gw = get_gateway(db)
    gw.retry_base_delay, gw.retry_max_delay = 0.01, 0.05
    return name


@pytest.fixture
def fake_llm() -> Iterator[FakeLLM]:
    """A started scripted OpenAI-compatible server on a free loopback port."""
    fake = FakeLLM().start()
    try:
        yield fake
    finally:
        fake.stop()


@pytest.fixture
def fake_provider(db: Database, fake_llm: FakeLLM) -> FakeLLM:
    """fake_llm registered in `db` as the default on-prem provider (chat, embeddings, images, vision)."""
    register_fake_provider(db, fake_llm)
    return fake_llm

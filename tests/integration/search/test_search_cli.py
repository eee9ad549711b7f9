"""The admin command line runs the app's search code path: `espace search` (public scope or a
holder's, JSON, a file of queries) and `espace reindex` (articles from the content folder
included)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlmodel import Session

from espace import content
from espace.core.db import get_engine
from espace.core.settings import get_settings
from espace.demo.seed import DEMO_EMAIL
from espace.search import public_sources, service
from espace.search.sqlite import SqliteIndex

ROOT = Path(__file__).resolve().parents[3]


def _cli(*args: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "espace.cli", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.fixture(scope="module")
def cli_env(engine, tmp_path_factory) -> dict:
    """The test database, a data folder of its own (its own index), keywords only (fast)."""
    data = tmp_path_factory.mktemp("cli-data")
    env = {
        **os.environ,
        "ESPACE_DATA_DIR": str(data),
        "ESPACE_DATABASE_URL": get_settings().database_url,
        "ESPACE_SEARCH_MODEL": "none",
    }
    built = _cli("reindex", env=env)
    assert built.returncode == 0, built.stderr
    assert "Index de recherche reconstruit" in built.stdout
    return env


def test_search_json_public_and_holder_scopes(cli_env):
    public = _cli("search", "franchise", "--json", "--limit", "5", env=cli_env)
    assert public.returncode == 0, public.stderr
    found = json.loads(public.stdout)
    assert found["scope"] == "public" and 0 < len(found["results"]) <= 5
    assert {"kind", "id", "title", "score"} <= set(found["results"][0])
    assert all(r["id"].split(":")[0] in ("faq", "article", "glossary") for r in found["results"])
    own = _cli("search", "ballon voisin", "--holder", DEMO_EMAIL, "--json", env=cli_env)
    keys = [r["id"] for r in json.loads(own.stdout)["results"]]
    assert any(k.startswith("claim:") for k in keys)
    unknown = _cli("search", "fuite", "--holder", "personne@example.com", env=cli_env)
    assert unknown.returncode == 2 and "Aucun assuré" in unknown.stderr


def test_queries_file_prints_one_json_line_per_query(cli_env, tmp_path):
    queries = tmp_path / "queries.txt"
    queries.write_text("fuite\ncambriolage\n\nattestation\n", encoding="utf-8")
    run = _cli("search", "--queries-file", str(queries), "--holder", DEMO_EMAIL, env=cli_env)
    lines = [json.loads(line) for line in run.stdout.splitlines()]
    assert [line["query"] for line in lines] == ["fuite", "cambriolage", "attestation"]
    assert all(line["scope"] == "holder" and line["results"] for line in lines)


def test_the_cli_gives_what_the_app_gives(cli_env):
    """Same ranking as the app's code path called in-process on the same index."""
    run = _cli("search", "vitre cassée", "--holder", DEMO_EMAIL, "--json", env=cli_env)
    from_cli = [r["id"] for r in json.loads(run.stdout)["results"]]
    index = SqliteIndex(Path(cli_env["ESPACE_DATA_DIR"]) / "search.db")
    settings = get_settings()
    previous = settings.search_model
    settings.search_model = "none"
    from espace.search import embeddings

    embeddings.reset()
    try:
        with Session(get_engine()) as db:
            holder_id = service.holder_by_email(session=db, email=DEMO_EMAIL)
            in_app = service.run(session=db, holder_id=holder_id, query="vitre cassée", index=index)
        assert from_cli == [r["id"] for r in in_app["results"]]
    finally:
        settings.search_model = previous
        embeddings.reset()
        index.close()


def test_an_insurer_ships_its_own_articles(tmp_path, monkeypatch):
    """ESPACE_CONTENT_DIR: the insurer's articles replace ours (help pages, assistant, search);
    files it does not ship (the thesaurus) come from the default folder."""
    (tmp_path / "aide").mkdir()
    (tmp_path / "aide" / "_index.yaml").write_text(
        "categories:\n  claims: Sinistres\n",
        encoding="utf-8",
    )
    (tmp_path / "aide" / "grele-veranda.md").write_text(
        "---\ntitle: La grêle a cassé ma véranda\ncategory: claims\nkeywords: [grêle, véranda]\n"
        "links:\n  - label: Déclarer\n    route: /sinistres/declarer\n---\n\n"
        "Photographiez la véranda.\n\nDéclarez le sinistre sous 5 jours ouvrés.\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(get_settings(), "content_dir", tmp_path)
    monkeypatch.setattr(get_settings(), "insurer_assistance_phone", "01 23 45 67 89")
    content.reload()
    try:
        assert [a.slug for a in content.ARTICLES] == ["grele-veranda"]
        article = content.article("grele-veranda")
        assert (
            article.body == "Photographiez la véranda.\n\nDéclarez le sinistre sous 5 jours ouvrés."
        )
        assert article.links == (("Déclarer", "/sinistres/declarer"),)
        assert content.ASSISTANCE_PHONE == "01 23 45 67 89"
        assert [d.key for d in public_sources.faq_docs()] == ["faq:grele-veranda"]
        assert content.thesaurus().groups  # the default thesaurus
    finally:
        monkeypatch.undo()
        content.reload()
    assert len(content.ARTICLES) == len(list((content.DEFAULT_DIR / "aide").glob("*.md")))


def test_a_broken_article_stops_the_load(tmp_path, monkeypatch):
    (tmp_path / "aide").mkdir()
    (tmp_path / "aide" / "sans-titre.md").write_text("pas de front matter\n", encoding="utf-8")
    monkeypatch.setattr(get_settings(), "content_dir", tmp_path)
    content.reload()
    try:
        with pytest.raises(content.ContentError):
            content.help_centre()
    finally:
        monkeypatch.undo()
        content.reload()

import pytest

from espace.core.settings import InsecureSettingsError, Settings


def test_defaults_to_sqlite_under_data_dir(tmp_path):
    settings = Settings(env="dev", data_dir=tmp_path, database_url="")
    assert settings.database_url == f"sqlite:///{tmp_path / 'espace.db'}"
    assert settings.is_sqlite


def test_dev_secret_is_generated_once_and_kept_private(tmp_path):
    first = Settings(env="dev", data_dir=tmp_path).secret_key.get_secret_value()
    second = Settings(env="dev", data_dir=tmp_path).secret_key.get_secret_value()
    assert first == second and len(first) >= 48
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600


@pytest.mark.parametrize("secret", ["", "changeme", "secret", "short-but-random"])
def test_production_refuses_missing_default_or_short_secret(tmp_path, secret):
    with pytest.raises(InsecureSettingsError):
        Settings(env="prod", data_dir=tmp_path, secret_key=secret)


def test_production_accepts_a_long_random_secret(tmp_path):
    settings = Settings(
        env="prod",
        data_dir=tmp_path,
        secret_key="x7" * 24,
        public_base_url="https://espace.example/",
    )
    assert settings.public_base_url == "https://espace.example"
    assert not (tmp_path / "secret_key").exists()


def test_cookie_is_host_prefixed_and_secure_outside_dev(tmp_path):
    prod = Settings(env="prod", data_dir=tmp_path, secret_key="k" * 40)
    dev = Settings(env="dev", data_dir=tmp_path)
    assert prod.secure_cookies and prod.session_cookie_name == "__Host-espace_session"
    assert not dev.secure_cookies and dev.session_cookie_name == "espace_session"


def test_postgres_url_is_taken_as_is(tmp_path, monkeypatch):
    monkeypatch.setenv("ESPACE_DATABASE_URL", "postgresql+psycopg://espace@db/espace")
    settings = Settings(data_dir=tmp_path)
    assert settings.database_url == "postgresql+psycopg://espace@db/espace"
    assert not settings.is_sqlite


def test_allowed_origins_are_the_public_one_plus_loopback_aliases(tmp_path):
    local = Settings(data_dir=tmp_path, public_base_url="http://localhost:8010")
    assert local.allowed_origins == [
        "http://localhost:8010",
        "http://127.0.0.1:8010",
        "http://[::1]:8010",
    ]
    public = Settings(data_dir=tmp_path, public_base_url="https://espace.example")
    assert public.allowed_origins == ["https://espace.example"]


def test_demo_gets_vapid_keys_generated_once_under_data(tmp_path):
    """Web Push works in the demo out of the box: a P-256 key pair kept under data/ (like the
    secret key), the private half readable by its owner only; pywebpush accepts it."""
    from py_vapid import Vapid01

    first = Settings(env="dev", data_dir=tmp_path)
    second = Settings(env="dev", data_dir=tmp_path)
    assert first.vapid_public_key and first.vapid_public_key == second.vapid_public_key
    private = first.vapid_private_key.get_secret_value()
    assert private == second.vapid_private_key.get_secret_value()
    assert (tmp_path / "vapid_private_key").stat().st_mode & 0o077 == 0
    assert Vapid01.from_raw(private.encode()).private_key is not None
    assert len(first.vapid_public_key) == 87  # base64url of the 65-byte uncompressed point


def test_vapid_keys_are_never_invented_outside_the_demo(tmp_path):
    assert Settings(env="test", data_dir=tmp_path).vapid_public_key == ""
    prod = Settings(env="prod", data_dir=tmp_path, secret_key="k" * 40)
    assert prod.vapid_public_key == "" and not (tmp_path / "vapid_private_key").exists()
    given = Settings(env="dev", data_dir=tmp_path, vapid_public_key="P", vapid_private_key="S")
    assert given.vapid_public_key == "P"

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_models_and_migrations_are_in_sync():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def run_manage(*args, **env):
    # The browser tests' DJANGO_ALLOW_ASYNC_UNSAFE must not leak into a deploy check.
    unwanted = {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    environment = {key: value for key, value in os.environ.items() if key not in unwanted}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_the_deploy_check(tmp_path):
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SETTINGS_MODULE="portal.settings.production",
        SECRET_KEY="x7!k2p#q9v@m4z$w8r&t6y^u3i*o1e%a5s_d0f-g+h=j~lB4nM8qR2tV6wY0zC3eF7",
        ALLOWED_HOSTS="ovi.example.org",
        WAGTAILADMIN_BASE_URL="https://ovi.example.org",
        OVI_VAR_DIR=str(tmp_path),
    )

    assert result.returncode == 0, result.stderr + result.stdout
    assert "WARNINGS" not in result.stderr + result.stdout


def test_production_settings_refuse_to_start_without_a_secret_key(tmp_path):
    result = run_manage(
        "check",
        DJANGO_SETTINGS_MODULE="portal.settings.production",
        SECRET_KEY="",
        ALLOWED_HOSTS="ovi.example.org",
        OVI_VAR_DIR=str(tmp_path),
    )

    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_settings_refuse_to_start_without_the_public_address(tmp_path):
    # Workflow e-mails would otherwise link to 127.0.0.1.
    result = run_manage(
        "check",
        DJANGO_SETTINGS_MODULE="portal.settings.production",
        SECRET_KEY="x7!k2p#q9v@m4z$w8r&t6y^u3i*o1e%a5s_d0f-g+h=j~lB4nM8qR2tV6wY0zC3eF7",
        ALLOWED_HOSTS="ovi.example.org",
        WAGTAILADMIN_BASE_URL="",
        OVI_VAR_DIR=str(tmp_path),
    )

    assert result.returncode != 0
    assert "WAGTAILADMIN_BASE_URL must be set" in result.stderr


def test_debug_is_off_outside_dev_settings(settings):
    from portal.settings import base

    assert base.DEBUG is False
    assert settings.DEBUG is False


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_translation_catalogues_are_complete(language):
    catalogue = (ROOT / "portal" / "locale" / language / "LC_MESSAGES" / "django.po").read_text()
    entries = catalogue.split("\n\n")[1:]
    untranslated = [
        entry for entry in entries if entry.rstrip().endswith('msgstr ""') and "msgid_plural" not in entry
    ]
    fuzzy = [entry for entry in entries if "#, fuzzy" in entry]

    assert entries, "the catalogue is empty"
    assert not untranslated, f"untranslated: {untranslated[:3]}"
    assert not fuzzy, f"fuzzy: {fuzzy[:3]}"
    mo = catalogue_path = ROOT / "portal" / "locale" / language / "LC_MESSAGES" / "django.mo"
    assert mo.exists() and mo.stat().st_size > 0, catalogue_path

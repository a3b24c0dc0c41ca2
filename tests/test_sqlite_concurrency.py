"""Two editors saving at once on the embedded SQLite default: both saves go through."""

import json
import os
import subprocess
import sys

from django.conf import settings


def saves_at_once(database):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    env.update(DATABASE_URL=f"sqlite:///{database}", DJANGO_SETTINGS_MODULE="lechan.settings")
    result = subprocess.run(  # noqa: S603 (this interpreter and the project's own module)
        [sys.executable, "-m", "tests.sqlite_saves"],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    return json.loads(result.stdout.splitlines()[-1])


def test_two_editors_saving_at_once_on_a_sqlite_file_both_succeed(tmp_path):
    found = saves_at_once(tmp_path / "site.sqlite3")
    assert found["status"] == [302, 302]
    assert found["leads"] == ["Sapo 0", "Sapo 1"]
    assert found["journal"] == "wal"  # readers go on while a save is written

"""Settings as a fresh process reads them from its environment alone."""

import json
import os
import subprocess
import sys

from django.conf import settings


def settings_read(script, cleared, **env):
    """The JSON that `script` prints in a new Python process, whose environment is this one's
    less the variables starting with any of `cleared`, plus `env`."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(cleared)}
    result = subprocess.run(  # noqa: S603 (this interpreter and a constant script)
        [sys.executable, "-c", script],
        env={**clean, **env},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)

"""Screenshots of the real pages for the README: home and article on a desktop and a phone,
the admin's article list and form at 1280 and 1024 px.

    python tests/browser/screenshots.py [--out static/screenshots]

Builds a throwaway SQLite database with the seed, serves it with `manage.py runserver`
on a free local port, photographs the pages with Playwright driving the system's
Chromium (/usr/bin/chromium, or LECHAN_CHROMIUM), and saves small palette PNGs.
Needs the test tools (requirements-dev.txt); downloads nothing.
"""

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("LECHAN_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTICLE = (
    "/tin-tuc/doi-moi-phuong-thuc-lanh-dao-chi-dao-cua-cap-uy-dang-trong-khai-thac-cac-nguon-luc/"
)
PAGES = {"home": "/", "article": ARTICLE}
ADMIN_PAGES = {
    "admin-articles": "/admin/articles/article/",
    "admin-article": "/admin/articles/article/1/change/",
}
ADMIN_WIDTHS = (1280, 1024)
# A throwaway editor of the throwaway database, to sign in to the admin.
EDITOR = ("chupanh", "chup-anh-tam-thoi")
DEVICES = {
    "desktop": {"viewport": {"width": 1280, "height": 860}, "device_scale_factor": 1},
    "phone": {
        "viewport": {"width": 390, "height": 844},
        "device_scale_factor": 2,
        "is_mobile": True,
        "has_touch": True,
    },
}


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def manage(env, *args, **kwargs):
    command = [sys.executable, str(ROOT / "manage.py"), *args]
    return subprocess.run(command, env=env, cwd=ROOT, check=True, **kwargs)  # noqa: S603


def wait_for(url, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 (our local server)
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"the server at {url} did not answer within {seconds} s")


def shrink(path):
    """A 256-colour palette PNG: screenshots of text and flat colour lose nothing visible."""
    image = Image.open(path).convert("RGB")
    image.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(
        path, optimize=True
    )


def shown(path):
    """`path` as printed: relative to the repository when inside it, else as it is."""
    path = path.resolve()
    return path.relative_to(ROOT) if path.is_relative_to(ROOT) else path


def shoot(base, out):
    from playwright.sync_api import sync_playwright

    written = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for device, options in DEVICES.items():
            context = browser.new_context(locale="vi-VN", **options)
            written += photograph(context.new_page(), base, PAGES, device, out)
            context.close()
        for width in ADMIN_WIDTHS:
            context = browser.new_context(locale="vi-VN", viewport={"width": width, "height": 900})
            page = context.new_page()
            sign_in(page, base)
            written += photograph(page, base, ADMIN_PAGES, width, out)
            context.close()
        browser.close()
    return written


def photograph(page, base, pages, suffix, out):
    """Each of `pages` ({name: path}) as `out`/name-suffix.png; the files written."""
    written = []
    for name, path in pages.items():
        page.goto(base + path, wait_until="networkidle")
        target = out / f"{name}-{suffix}.png"
        page.screenshot(path=str(target))
        shrink(target)
        written.append(target)
    return written


def sign_in(page, base):
    page.goto(base + "/admin/login/")
    page.fill("#id_username", EDITOR[0])
    page.fill("#id_password", EDITOR[1])
    page.click("input[type=submit]")
    page.wait_for_url(base + "/admin/")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "static" / "screenshots")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "lechan.settings",
            "DJANGO_DEBUG": "1",  # runserver serves the static files
            "DATABASE_URL": f"sqlite:///{tmp}/screenshots.sqlite3",
            "MEDIA_ROOT": f"{tmp}/media",
        }
        env.pop("REDIS_URL", None)
        manage(env, "migrate", "--verbosity", "0")
        manage(env, "loaddata", "lechan", "--verbosity", "0")
        manage(
            {**env, "DJANGO_SUPERUSER_PASSWORD": EDITOR[1]},
            *("createsuperuser", "--noinput", "--username", EDITOR[0], "--email", ""),
        )
        port = free_port()
        server = subprocess.Popen(  # noqa: S603
            [
                sys.executable,
                str(ROOT / "manage.py"),
                "runserver",
                f"127.0.0.1:{port}",
                "--noreload",
            ],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            wait_for(base + "/")
            for path in shoot(base, args.out):
                print(f"{shown(path)}: {path.stat().st_size} bytes")
        finally:
            server.terminate()
            server.wait(timeout=10)


if __name__ == "__main__":
    main()

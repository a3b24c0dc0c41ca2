"""Check deploy/nginx/lechan.conf in front of gunicorn, as production runs them.

    python deploy/check_nginx.py        # needs Debian's nginx and openssl; .ci/run runs it

A throwaway site (SQLite, media and static files in a temporary folder, production settings)
under gunicorn, and nginx serving the repository's lechan.conf with its own prefix, loopback
ports and a self-signed certificate: only the site's values change (ports, folders,
certificate). Through nginx it checks that a photo uploaded in the admin and its renditions
are served with nosniff and a sandbox, that nothing else in the media runs or renders, that
hashed static files are cached for a year, that the body limit fits the photo limit, and that
sign-in throttling counts the address nginx saw, never one the client wrote. Prints each
check and exits 1 on the first failure; stops nginx and gunicorn at the end.
"""

import http.client
import io
import json
import os
import re
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import timedelta
from http.cookies import SimpleCookie
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.serve import OUT, Server, free_port, site_env  # noqa: E402

CONF = ROOT / "deploy" / "nginx" / "lechan.conf"
HOST = "lechan.example"
USERNAME, PASSWORD = "bientap", "mat-khau-" + uuid.uuid4().hex
# Loopback addresses the test clients connect from: nginx sees them, gunicorn sees 127.0.0.1.
EDITOR_ADDRESS, GUESSER_ADDRESS, OTHER_ADDRESS = "127.0.0.2", "127.0.0.3", "127.0.0.4"
SPOOFED = "203.0.113.9"


class Failed(Exception):
    pass


def check(condition, message, detail=""):
    if not condition:
        raise Failed(f"{message}{': ' + str(detail) if detail else ''}")
    print(f"ok  {message}")


# The site under gunicorn -----------------------------------------------------------------


def site_environment(folder):
    return site_env(
        DJANGO_SETTINGS_MODULE="lechan.settings",
        DJANGO_ALLOWED_HOSTS=HOST,
        DJANGO_SECURE_SSL_REDIRECT="1",
        DJANGO_SECURE_PROXY_SSL_HEADER="HTTP_X_FORWARDED_PROTO",
        DJANGO_TRUSTED_PROXY_COUNT="1",
        DJANGO_STATIC_ROOT=str(folder / "static"),
        MEDIA_ROOT=str(folder / "media"),
        DATABASE_URL=f"sqlite:///{folder / 'site.sqlite3'}",
        REDIS_URL="",
        GUNICORN_ACCESSLOG="-",
        WEB_CONCURRENCY="2",
    )


def prepare_site():
    """Migrate, collect static files, make an editor and a published article (this process)."""
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)

    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from articles.models import Article

    get_user_model().objects.create_superuser(USERNAME, "bientap@lechan.example", PASSWORD)
    return Article.objects.create(
        title="Ảnh qua nginx",
        status=Article.Status.PUBLISHED,
        published_at=timezone.now() - timedelta(hours=1),
        lead="Sapo.",
        body="<p>Một.</p><p>Hai.</p>",
    )


class Gunicorn(Server):
    def wait_ready(self, timeout=60):
        """Readiness is checked through nginx (plain HTTP here would be redirected)."""


# nginx -------------------------------------------------------------------------------------

NGINX_CONF = """
daemon off;
worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    access_log {folder}/access.log;
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    include {folder}/lechan.conf;
}}
"""


def site_conf(folder, ports):
    """lechan.conf with this machine's values in place of the site's."""
    text = CONF.read_text()
    text = "\n".join(line for line in text.splitlines() if "listen [::]:" not in line)
    values = {
        "server 127.0.0.1:8000;": f"server 127.0.0.1:{ports['gunicorn']};",
        "listen 80": f"listen 127.0.0.1:{ports['http']}",
        "listen 443": f"listen 127.0.0.1:{ports['https']}",
        "/srv/lechan/staticfiles/": f"{folder}/static/",
        "/srv/lechan/media/": f"{folder}/media/",
        "/etc/letsencrypt/live/lechan.example/": f"{folder}/tls/",
        "/srv/lechan/deploy/nginx/errors/": f"{folder}/errors/",
    }
    for site_value, local_value in values.items():
        if site_value not in text:
            raise Failed(f"lechan.conf no longer holds {site_value!r}: update check_nginx.py")
        text = text.replace(site_value, local_value)
    return text


def self_signed_certificate(folder):
    tls = folder / "tls"
    tls.mkdir()
    subprocess.run(  # noqa: S603 (Debian's openssl, fixed arguments)
        [
            shutil.which("openssl") or "openssl",
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
            "-subj", f"/CN={HOST}", "-addext", f"subjectAltName=DNS:{HOST}",
            "-keyout", str(tls / "privkey.pem"), "-out", str(tls / "fullchain.pem"),
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return tls / "fullchain.pem"


def start_nginx(folder, ports):
    # Its error pages are copied where nginx's workers may read them, as in /srv/lechan.
    shutil.copytree(CONF.parent / "errors", folder / "errors")
    (folder / "lechan.conf").write_text(site_conf(folder, ports))
    (folder / "nginx.conf").write_text(NGINX_CONF.format(folder=folder))
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    command = [nginx, "-p", str(folder), "-c", str(folder / "nginx.conf"), "-e", "stderr"]
    tested = subprocess.run([*command, "-t"], capture_output=True, text=True)  # noqa: S603
    check(tested.returncode == 0, "nginx -t accepts lechan.conf", tested.stderr)
    return subprocess.Popen(command, stderr=open(folder / "nginx.log", "w"))  # noqa: S603, SIM115


# An HTTPS client for lechan.example, connected to nginx from a chosen loopback address --------


class Client:
    def __init__(self, port, source, certificate):
        self.port, self.source, self.cookies = port, source, {}
        self.context = ssl.create_default_context(cafile=str(certificate))

    def connection(self, timeout=30):
        connection = http.client.HTTPSConnection(
            HOST, self.port, timeout=timeout, context=self.context, source_address=(self.source, 0)
        )
        connection._create_connection = lambda address, *args: socket.create_connection(
            ("127.0.0.1", address[1]), *args
        )
        return connection

    def request(self, method, path, body=None, headers=None):
        headers = {"Accept-Encoding": "identity", **(headers or {})}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if method == "POST":
            headers.setdefault("Referer", f"https://{HOST}:{self.port}{path}")
        connection = self.connection()
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            content = response.read()
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return response, content

    def get(self, path, **headers):
        return self.request("GET", path, headers=headers)

    def post(self, path, fields, files=None, **headers):
        body, content_type = multipart(fields, files or {})
        return self.request("POST", path, body, {"Content-Type": content_type, **headers})

    def sign_in(self, password=PASSWORD, **headers):
        _, page = self.get("/admin/login/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1].decode()
        fields = {"csrfmiddlewaretoken": token, "username": USERNAME, "password": password}
        return self.post("/admin/login/?next=/admin/", fields, **headers)[0]


def multipart(fields, files):
    boundary = uuid.uuid4().hex
    parts = []
    for name, values in fields.items():
        for value in values if isinstance(values, list) else [values]:
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                f"{value}\r\n".encode()
            )
    for name, (filename, data) in files.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: application/octet-stream\r\n\r\n'.encode()
            + data
            + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def photo(size=(2000, 1000)):
    image = Image.new("RGB", size, "red")
    image.paste("blue", (size[0] // 2, 0, size[0], size[1]))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=90)
    return buffer.getvalue()


def wait_for_site(client, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if client.get("/healthz/")[0].status == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise Failed("the site did not answer /healthz/ through nginx")


# The checks --------------------------------------------------------------------------------


def check_upload_and_media(editor, article, folder):
    from tests.editorial import form_data

    check(editor.sign_in().status == 302, "an editor signs in through nginx")
    change = f"/admin/articles/article/{article.pk}/change/"
    response, page = editor.get(change)
    fields = form_data(type("Page", (), {"content": page}), "article_form")
    fields.update(
        {
            "images-TOTAL_FORMS": "1",
            "images-0-caption": "Quang cảnh đại hội",
            "images-0-alt_text": "Đại biểu dự đại hội",
            "images-0-credit": "Duy Thính",
            "images-0-position": "1",
            "images-0-order": "0",
        }
    )
    response, _ = editor.post(change, fields, {"images-0-image": ("anh-dai-hoi.jpg", photo())})
    check(response.status == 302, "the admin takes a photo uploaded through nginx", response.status)

    from articles.models import ArticleImage

    image = ArticleImage.objects.get(article=article).image
    _, page = editor.get(article.get_absolute_url())
    names = [image.name, *image.rendition_names()]
    for name in image.rendition_names():
        check(f"/media/{name}".encode() in page, f"the article page links /media/{name}")
    for name in names:
        response, content = editor.get(f"/media/{name}")
        kind = "image/webp" if name.endswith(".webp") else "image/jpeg"
        check(
            response.status == 200
            and response.headers["Content-Type"] == kind
            and response.headers["X-Content-Type-Options"] == "nosniff"
            and response.headers["Content-Security-Policy"] == "default-src 'none'; sandbox"
            and response.headers["Content-Disposition"] is None
            and content == (Path(folder / "media" / name)).read_bytes(),
            f"/media/{name} is served as {kind}, nosniff, sandboxed",
            dict(response.headers),
        )

    planted = folder / "media" / "articles" / "trang.html"
    planted.write_text("<script>alert(document.cookie)</script>")
    planted.with_suffix(".svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>')
    for name in ("trang.html", "trang.svg", "khong-co.jpg.html"):
        response, _ = editor.get(f"/media/articles/{name}")
        if name.startswith("khong-co"):
            check(response.status == 404, "a missing media file is nginx's 404")
            continue
        check(
            response.headers["Content-Type"] == "application/octet-stream"
            and response.headers["Content-Disposition"] == "attachment"
            and response.headers["X-Content-Type-Options"] == "nosniff",
            f"a {name.rsplit('.')[-1]} file in the media is a download, never a page",
            dict(response.headers),
        )


def check_static(client, folder):
    manifest = json.loads((folder / "static" / "staticfiles.json").read_text())["paths"]
    hashed = manifest["css/site.css"]
    response, content = client.get(f"/static/{hashed}")
    check(
        response.status == 200
        and response.headers["Content-Type"].startswith("text/css")
        and response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
        and response.headers["X-Content-Type-Options"] == "nosniff"
        and content == (folder / "static" / hashed).read_bytes(),
        f"hashed /static/{hashed} is served, cached a year, immutable",
        dict(response.headers),
    )
    response, _ = client.get(f"/static/{hashed}", **{"Accept-Encoding": "gzip"})
    check(
        response.headers["Content-Encoding"] == "gzip"
        and response.headers["Vary"] == "Accept-Encoding",
        "its .gz is sent to who accepts it (Vary: Accept-Encoding)",
    )
    response, _ = client.get("/static/css/site.css")
    check(
        response.status == 200 and "immutable" not in response.headers["Cache-Control"],
        "an unhashed static name is served with a short cache",
        response.headers["Cache-Control"],
    )
    response, _ = client.get("/static/css/khong-co.css")
    check(response.status == 404, "a missing static file is nginx's 404")


def check_pages(client, ports):
    response, page = client.get("/")
    check(
        response.status == 200 and b'<html lang="vi">' in page,
        "the home page comes from gunicorn through nginx over HTTPS",
    )
    check(
        response.headers["Strict-Transport-Security"] is not None,
        "Django takes the request as HTTPS (X-Forwarded-Proto): HSTS, no redirect loop",
    )
    response, _ = client.get("/", **{"X-Forwarded-Proto": "http", "X-Forwarded-Ssl": "off"})
    check(response.status == 200, "a client's own scheme headers change nothing", response.status)
    plain = http.client.HTTPConnection("127.0.0.1", ports["http"], timeout=10)
    plain.request("GET", "/tin-tuc/?q=1", headers={"Host": HOST})
    response = plain.getresponse()
    check(
        response.status == 301 and response.headers["Location"] == f"https://{HOST}/tin-tuc/?q=1",
        "plain HTTP is redirected to HTTPS",
    )
    plain.close()
    stranger = http.client.HTTPConnection("127.0.0.1", ports["http"], timeout=10)
    try:
        stranger.request("GET", "/", headers={"Host": "other.example"})
        stranger.getresponse()
        dropped = False
    except (http.client.RemoteDisconnected, ConnectionResetError):
        dropped = True
    check(dropped, "a request for another host name is dropped")


def check_body_limit(client):
    from django.conf import settings

    limit = re.search(r"client_max_body_size (\d+)m;", CONF.read_text())
    limit_bytes = int(limit[1]) * 1024 * 1024
    check(
        limit_bytes > settings.LECHAN_IMAGE_UPLOAD_MAX_BYTES + 1024 * 1024,
        f"client_max_body_size ({limit[1]} MB) leaves room for a photo at the limit",
    )
    body = b"\0" * (settings.LECHAN_IMAGE_UPLOAD_MAX_BYTES + 512 * 1024)
    response, _ = client.request("POST", "/admin/login/", body, {"Content-Type": "x/y"})
    check(response.status != 413, "a body the size of the largest photo reaches the site")
    connection = client.connection()
    connection.putrequest("POST", "/admin/login/")
    connection.putheader("Content-Length", str(limit_bytes + 1))
    connection.endheaders()
    response = connection.getresponse()
    check(
        response.status == 413 and "Dữ liệu gửi lên quá lớn" in response.read().decode(),
        "a larger body is refused by nginx before it is read (413, a Vietnamese page)",
    )
    connection.close()


def check_sign_in_throttling(ports, certificate):
    from axes.models import AccessAttempt
    from django.conf import settings

    guesser = Client(ports["https"], GUESSER_ADDRESS, certificate)
    statuses = [
        guesser.sign_in("sai", **{"X-Forwarded-For": SPOOFED}).status
        for _ in range(settings.AXES_FAILURE_LIMIT + 1)
    ]
    check(statuses[-1] == 429, "repeated wrong passwords are locked out (429)", statuses)
    addresses = set(AccessAttempt.objects.values_list("ip_address", flat=True))
    check(
        addresses == {GUESSER_ADDRESS},
        f"django-axes counted the address nginx saw ({GUESSER_ADDRESS}), "
        f"not gunicorn's peer (127.0.0.1) nor the client's X-Forwarded-For ({SPOOFED})",
        addresses,
    )
    other = Client(ports["https"], OTHER_ADDRESS, certificate)
    check(
        other.sign_in(**{"X-Forwarded-For": GUESSER_ADDRESS}).status == 302,
        "the same editor signs in from another address, even naming the locked one",
    )


def main():
    for tool in ("nginx", "openssl"):
        if not (shutil.which(tool) or Path("/usr/sbin", tool).exists()):
            print(f"{tool} not found: apt-get install {tool}")
            return 1
    # nginx's workers (nobody, when run as root) read the static and media files written here.
    os.umask(0o022)
    folder = Path(tempfile.mkdtemp(prefix="lechan-nginx-"))
    folder.chmod(0o755)
    ports = {}
    while len(set(ports.values())) < 3:
        ports = {"gunicorn": free_port(), "http": free_port(), "https": free_port()}
    os.environ.update(site_environment(folder))
    gunicorn = nginx = None
    try:
        article = prepare_site()
        (folder / "media").mkdir(mode=0o755, exist_ok=True)
        certificate = self_signed_certificate(folder)
        OUT.mkdir(parents=True, exist_ok=True)  # gunicorn's log
        gunicorn = Gunicorn(ports["gunicorn"], **site_environment(folder))
        nginx = start_nginx(folder, ports)
        editor = Client(ports["https"], EDITOR_ADDRESS, certificate)
        wait_for_site(editor)
        check_pages(editor, ports)
        check_static(editor, folder)
        check_upload_and_media(editor, article, folder)
        check_body_limit(editor)
        check_sign_in_throttling(ports, certificate)
        stop(None, gunicorn)
        response, page = editor.get("/")
        check(
            response.status == 502 and "tạm thời gián đoạn" in page.decode(),
            "with gunicorn stopped, nginx answers its Vietnamese 502 page",
        )
        stop(nginx, None)
        log = Path(gunicorn.log.name).read_text()
        reached = re.findall(r'"[A-Z]+ (/(?:static|media)/\S*)', log)
        check(not reached, "no static or media request reached gunicorn", reached[:3])
    except Failed as failure:
        print(f"FAILED  {failure}")
        for log in (folder / "nginx.log", folder / "error.log"):
            if log.exists() and log.read_text().strip():
                print(f"--- {log.name}\n{log.read_text()[-3000:]}")
        if gunicorn is not None:
            print(f"--- gunicorn's log: {gunicorn.log.name}")
        return 1
    finally:
        stop(nginx, gunicorn)
        shutil.rmtree(folder, ignore_errors=True)
    print("nginx: every check passed")
    return 0


def stop(nginx, gunicorn):
    if nginx is not None and nginx.poll() is None:
        nginx.send_signal(signal.SIGQUIT)  # graceful: finishes the requests under way
        nginx.wait(timeout=30)
    if gunicorn is not None and gunicorn.process.poll() is None:
        gunicorn.stop()


if __name__ == "__main__":
    sys.exit(main())

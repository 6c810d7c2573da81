import pytest
from django.core.management import call_command

from articles.models import ProvenanceEvent
from imagerights.models import AssetFile
from imagerights.services.address_guard import FetchRefused, is_public
from imagerights.services.fetch import fetch_image
from tests.imagerights.pictures import photo_jpeg
from tests.imagerights.servers import serving

PHOTO = photo_jpeg(50, size=(160, 120))
JPEG = {"Content-Type": "image/jpeg"}


@pytest.fixture
def local_allowed(settings):
    settings.FETCH_ALLOWED_ADDRESSES = ["127.0.0.1"]
    settings.FETCH_TIMEOUT_SECONDS = 5


@pytest.mark.parametrize("url", [
    "http://10.1.2.3/photo.jpg",
    "http://192.168.0.10/photo.jpg",
    "http://169.254.169.254/latest/meta-data/",
    "http://[::1]/photo.jpg",
    "http://[::ffff:10.0.0.1]/photo.jpg",
    "http://0.0.0.0/photo.jpg",
])
def test_private_link_local_and_loopback_addresses_are_refused(url):
    with pytest.raises(FetchRefused, match="private, loopback or link-local"):
        fetch_image(url)


def test_loopback_is_refused_without_the_allowlist_even_by_name():
    with serving({"/photo.jpg": (200, JPEG, PHOTO)}) as base:
        with pytest.raises(FetchRefused, match="127.0.0.1"):
            fetch_image(f"{base}/photo.jpg")
        with pytest.raises(FetchRefused, match="private, loopback or link-local"):
            fetch_image(f"{base.replace('127.0.0.1', 'localhost')}/photo.jpg")


def test_an_allowed_server_is_fetched_and_a_redirect_to_a_private_address_is_refused(local_allowed):
    routes = {"/photo.jpg": (200, JPEG, PHOTO),
              "/moved": (302, {"Location": "/photo.jpg"}, b""),
              "/to-private": (302, {"Location": "http://10.0.0.7/internal.jpg"}, b""),
              "/loop": (302, {"Location": "/loop"}, b"")}
    with serving(routes) as base:
        fetched = fetch_image(f"{base}/moved")
        assert (fetched.url, fetched.content_type, fetched.data) == (f"{base}/photo.jpg", "image/jpeg", PHOTO)
        with pytest.raises(FetchRefused, match="10.0.0.7"):
            fetch_image(f"{base}/to-private")
        with pytest.raises(FetchRefused, match="redirects"):
            fetch_image(f"{base}/loop")


def test_wrong_type_oversize_and_non_http_are_refused(local_allowed, settings):
    settings.FETCH_MAX_BYTES = 1000
    routes = {"/page": (200, {"Content-Type": "text/html"}, b"<html></html>"),
              "/big.jpg": (200, JPEG, PHOTO)}
    with serving(routes) as base:
        with pytest.raises(FetchRefused, match="text/html"):
            fetch_image(f"{base}/page")
        with pytest.raises(FetchRefused, match="1000-byte limit"):
            fetch_image(f"{base}/big.jpg")
    with pytest.raises(FetchRefused, match="not an http"):
        fetch_image("file:///etc/passwd")
    with pytest.raises(FetchRefused, match="credentials"):
        fetch_image("http://user:secret@example.org/photo.jpg")


def test_public_addresses_are_public():
    assert is_public("93.184.216.34") and not is_public("172.16.5.4") and not is_public("fe80::1")


@pytest.mark.django_db
def test_ingest_fetches_the_page_pictures_and_records_a_refusal(local_allowed, tmp_path):
    with serving({"/photo.jpg": (200, JPEG, PHOTO)}) as base:
        page = tmp_path / "page.html"
        page.write_text(
            "<html lang='en'><head><title>Flood in the valley</title></head><body><article><h1>Flood in the valley</h1>"
            "<p>The river rose two metres overnight and the old bridge closed to traffic for the week.</p>"
            f"<figure><img src='{base}/photo.jpg' alt='river'><figcaption>Photo by Ann Lee/Valley Post</figcaption></figure>"
            "<figure><img src='http://10.9.9.9/inside.jpg' alt='x'><figcaption>Photo: Intranet</figcaption></figure>"
            "<p>Engineers will inspect the pillars on Monday before any decision to reopen.</p></article></body></html>")
        call_command("ingest_article", str(page), "--source-url", "https://valley.example/flood", "--fetch-assets")

    link = AssetFile.objects.get()
    assert link.origin == "fetch" and link.file.size == len(PHOTO)
    refused = ProvenanceEvent.objects.get(kind="fetched", asset__original_url="http://10.9.9.9/inside.jpg")
    assert "private" in refused.detail["refused"]


@pytest.mark.slow
def test_the_time_limit_holds_for_the_whole_download_not_each_read(local_allowed, settings):
    """A server sending one byte every 0.3 s never trips a per-read timeout; the whole download must stop."""
    import socket
    import threading
    import time

    settings.FETCH_TIMEOUT_SECONDS = 1.5
    listener = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()

    def drip() -> None:
        conn, _ = listener.accept()
        with conn:
            conn.recv(4096)
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: image/jpeg\r\nContent-Length: 1000\r\n\r\n")
            while not stop.is_set():
                try:
                    conn.sendall(b"x")
                except OSError:
                    return
                time.sleep(0.3)

    threading.Thread(target=drip, daemon=True).start()
    started = time.monotonic()
    try:
        with pytest.raises(FetchRefused, match="took longer than 1.5 s"):
            fetch_image(f"http://127.0.0.1:{listener.getsockname()[1]}/slow.jpg")
    finally:
        stop.set()
        listener.close()
    assert time.monotonic() - started < 3

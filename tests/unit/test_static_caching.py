"""The production server's static files: hashed build files compressed and cached for a year,
pages and the socket untouched, the upload cap still in front.

The stack is built as `reflex run --env prod` builds it: Reflex's own frontend mount (its
precompressed static files, over a build directory made here) and a websocket at /_event,
wrapped by the app's own ``api_transformer`` list in its order.
"""

import gzip
from collections.abc import Iterator
from pathlib import Path

import pytest
from reflex.config import get_config
from reflex.constants import Endpoint
from reflex.utils.exec import get_frontend_mount
from starlette.applications import Starlette
from starlette.routing import WebSocketRoute
from starlette.testclient import TestClient
from starlette.websockets import WebSocket

from infoview_app.static_caching import IMMUTABLE
from infoview_app.upload_limit import MAX_UPLOAD_BODY_BYTES

SCRIPT = b"export const greeting = 'hello';\n" * 200
ASSET = "/assets/entry.client-AbC123xy.js"
# What the build's brotli copy holds is the build's business (Node's zlib writes it); here it
# only has to be told apart from the gzip copy and the plain file.
BROTLI_STAND_IN = b"brotli copy of the script"


async def _echo(websocket: WebSocket) -> None:
    await websocket.accept()
    await websocket.send_text(await websocket.receive_text())
    await websocket.close()


@pytest.fixture
def client(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    import infoview_app.infoview_app as built

    client_dir = tmp_path / "build" / "client"
    (client_dir / "assets").mkdir(parents=True)
    (client_dir / ASSET.lstrip("/")).write_bytes(SCRIPT)
    (client_dir / (ASSET.lstrip("/") + ".gz")).write_bytes(gzip.compress(SCRIPT))
    (client_dir / (ASSET.lstrip("/") + ".br")).write_bytes(BROTLI_STAND_IN)
    (client_dir / "unsent.js").write_bytes(SCRIPT)
    (client_dir / "login").mkdir()
    (client_dir / "login" / "index.html").write_text("<!DOCTYPE html><title>Sign in</title>")
    (client_dir / "404.html").write_text("<!DOCTYPE html><title>Not found</title>")
    monkeypatch.setenv("REFLEX_WEB_WORKDIR", str(tmp_path))

    event_path = get_config().prepend_backend_path(str(Endpoint.EVENT))
    asgi = Starlette(routes=[WebSocketRoute(event_path, _echo), get_frontend_mount()])
    transformers = built.app.api_transformer
    assert isinstance(transformers, list)
    for transform in transformers:
        asgi = transform(asgi)  # type: ignore[operator]
    with TestClient(asgi) as test_client:
        yield test_client


def test_a_hashed_script_is_sent_gzipped_and_cached_for_a_year(client: TestClient) -> None:
    response = client.get(ASSET, headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert response.headers["content-encoding"] == "gzip"
    assert response.headers["cache-control"] == IMMUTABLE.decode()
    assert response.content == SCRIPT  # the client undid the gzip


def test_brotli_is_preferred_where_the_browser_takes_it(client: TestClient) -> None:
    with client.stream("GET", ASSET, headers={"Accept-Encoding": "gzip, deflate, br, zstd"}
                       ) as response:
        assert response.headers["content-encoding"] == "br"
        assert response.headers["cache-control"] == IMMUTABLE.decode()
        assert b"".join(response.iter_raw()) == BROTLI_STAND_IN


def test_a_revalidated_hashed_script_keeps_its_year(client: TestClient) -> None:
    etag = client.get(ASSET, headers={"Accept-Encoding": "gzip"}).headers["etag"]
    response = client.get(ASSET, headers={"Accept-Encoding": "gzip", "If-None-Match": etag})
    assert response.status_code == 304
    assert response.headers["cache-control"] == IMMUTABLE.decode()


def test_a_browser_without_gzip_gets_the_plain_file(client: TestClient) -> None:
    response = client.get(ASSET, headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in response.headers
    assert response.content == SCRIPT


@pytest.mark.parametrize("path", ["/login/", "/unsent.js", "/assets/gone-Zz999999.js"])
def test_pages_unhashed_files_and_missing_files_are_not_kept(client: TestClient,
                                                               path: str) -> None:
    """A page and an unhashed script change under the same address; a missing file may be
    there after the next deploy."""
    response = client.get(path, headers={"Accept-Encoding": "gzip"})
    assert "immutable" not in response.headers.get("cache-control", "")


def test_the_event_socket_passes_untouched(client: TestClient) -> None:
    path = get_config().prepend_backend_path(str(Endpoint.EVENT))
    with client.websocket_connect(path) as websocket:
        websocket.send_text("ping")
        assert websocket.receive_text() == "ping"
    response = client.get(path, headers={"Accept-Encoding": "gzip"})
    assert "content-encoding" not in response.headers
    assert "cache-control" not in response.headers


def test_the_upload_cap_still_refuses_first(client: TestClient) -> None:
    path = get_config().prepend_backend_path(str(Endpoint.UPLOAD))
    response = client.post(path, content=b"x",
                           headers={"Content-Length": str(MAX_UPLOAD_BODY_BYTES + 1)})
    assert response.status_code == 413

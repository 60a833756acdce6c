"""The Teams app package (teams-app/): manifest limits, icons as Teams requires, the zip."""
from __future__ import annotations

import importlib.util
import json
import struct
import subprocess
import sys
import uuid
import zipfile
import zlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "teams-app"
_spec = importlib.util.spec_from_file_location("teams_app_package", APP / "package.py")
package = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(package)  # type: ignore[union-attr]


def read_png(path: Path) -> tuple[int, int, list[tuple[int, int, int, int]]]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height, depth, colour_type = struct.unpack(">IIBB", data[16:26])
    assert (depth, colour_type) == (8, 6)  # what make_icons.py writes: 8-bit RGBA
    idat, pos = b"", 8
    while pos < len(data):
        (length,), kind = struct.unpack(">I", data[pos:pos + 4]), data[pos + 4:pos + 8]
        if kind == b"IDAT":
            idat += data[pos + 8:pos + 8 + length]
        pos += 12 + length
    raw, stride = zlib.decompress(idat), 1 + 4 * width
    assert all(raw[row * stride] == 0 for row in range(height))  # no filters used
    pixels = [tuple(raw[row * stride + 1 + 4 * x: row * stride + 5 + 4 * x])
              for row in range(height) for x in range(width)]
    return width, height, pixels  # type: ignore[return-value]


def test_the_icons_have_the_sizes_and_colours_teams_requires() -> None:
    width, height, pixels = read_png(APP / "color.png")
    assert (width, height) == (192, 192) and all(p[3] == 255 for p in pixels)
    width, height, pixels = read_png(APP / "outline.png")
    assert (width, height) == (32, 32)
    assert set(pixels) <= {(255, 255, 255, 255), (0, 0, 0, 0)}  # white on transparent only
    assert (255, 255, 255, 255) in set(pixels)


def test_the_icons_are_what_the_script_draws(tmp_path: Path) -> None:
    before = {icon: (APP / icon).read_bytes() for icon in package.ICONS}
    subprocess.run([sys.executable, str(APP / "make_icons.py")], check=True, capture_output=True)
    assert {icon: (APP / icon).read_bytes() for icon in package.ICONS} == before


def test_the_manifest_is_a_personal_bot_within_teams_limits() -> None:
    manifest = json.loads(package.filled_manifest(str(uuid.uuid4()), "https://iioc.example.org/"))
    assert len(manifest["name"]["short"]) <= 30 and len(manifest["name"]["full"]) <= 100
    assert len(manifest["description"]["short"]) <= 80 and len(manifest["description"]["full"]) <= 4000
    assert len(manifest["developer"]["name"]) <= 32
    [bot] = manifest["bots"]
    assert bot["botId"] == manifest["id"] and bot["scopes"] == ["personal"]
    for command in bot["commandLists"][0]["commands"]:
        assert len(command["title"]) <= 32 and len(command["description"]) <= 128
    assert manifest["validDomains"] == ["iioc.example.org"]
    assert manifest["developer"]["websiteUrl"] == "https://iioc.example.org/"
    assert set(manifest["icons"].values()) == set(package.ICONS)


@pytest.mark.parametrize("app_id, url", [("not-a-guid", "https://iioc.example.org"),
                                         (str(uuid.uuid4()), "http://iioc.example.org"),
                                         (str(uuid.uuid4()), "")])
def test_packaging_refuses_a_bad_app_id_or_a_non_https_address(app_id: str, url: str) -> None:
    with pytest.raises(ValueError):
        package.filled_manifest(app_id, url)


def test_the_package_holds_the_manifest_and_icons_at_its_root(tmp_path: Path) -> None:
    output = tmp_path / "app.zip"
    subprocess.run([sys.executable, str(APP / "package.py"), "--app-id", str(uuid.uuid4()),
                    "--web-public-url", "https://iioc.example.org", "--output", str(output)],
                   check=True, capture_output=True)
    with zipfile.ZipFile(output) as archive:
        assert sorted(archive.namelist()) == ["color.png", "manifest.json", "outline.png"]
        assert "${" not in archive.read("manifest.json").decode()

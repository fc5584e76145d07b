"""feedwright.installed.installed_version gives what importlib.metadata.version gives: for every
distribution installed here, and for the layouts it reads itself or leaves to importlib.metadata
(real folders on a real sys.path)."""

from __future__ import annotations

import importlib.metadata
import sys
import zipfile
from pathlib import Path

import pytest

from feedwright.installed import _dist_info_version, installed_version
from feedwright.sources import READING_LIBRARIES


def test_every_installed_distribution_has_the_version_importlib_metadata_gives() -> None:
    names = {d.metadata["Name"] for d in importlib.metadata.distributions()}
    assert set(READING_LIBRARIES) <= {n.lower() for n in names} | set(READING_LIBRARIES)
    for name in sorted(names | set(READING_LIBRARIES)):
        assert installed_version(name) == importlib.metadata.version(name), name
    # and the usual layout is read without importlib.metadata
    assert all(_dist_info_version(n) is not None for n in READING_LIBRARIES)


def dist(folder: Path, info: str, metadata: str | bytes) -> None:
    (folder / info).mkdir(parents=True)
    data = metadata.encode() if isinstance(metadata, str) else metadata
    (folder / info / "METADATA").write_bytes(data)


def plain(version: str) -> str:
    return f"Metadata-Version: 2.1\nName: Demo.Pkg\nVersion: {version}\nSummary: x\n\nbody\n"


@pytest.fixture
def path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Two folders, first and second on sys.path (nothing else on it)."""
    folders = [tmp_path / "first", tmp_path / "second"]
    for folder in folders:
        folder.mkdir()
    monkeypatch.setattr(sys, "path", [str(f) for f in folders])
    return folders


def same(name: str) -> str | None:
    """What both give (importlib.metadata's answer), and whether it was read here."""
    ours = installed_version(name)
    assert ours == importlib.metadata.version(name)
    return _dist_info_version(name)


def test_the_first_folder_on_the_path_wins_and_names_are_normalised(path: list[Path]) -> None:
    dist(path[1], "demo_pkg-2.0.dist-info", plain("2.0"))
    assert same("Demo-Pkg") == "2.0"
    dist(path[0], "Demo.Pkg-1.0+local.dist-info", plain("1.0+local  "))
    for name in ("demo-pkg", "DEMO_PKG", "demo.pkg", "demo__pkg"):
        assert same(name) == "1.0+local  "  # trailing blanks kept, as the email parser keeps


@pytest.mark.parametrize("metadata", [
    plain("3.1").replace("\n", "\r\n"),
    plain("3.1").replace("Version: 3.1", "version:\t3.1"),
    plain("3.1").replace("Version: 3.1", "Version:3.1"),
])
def test_spellings_the_email_parser_reads_alike_are_read_here(path: list[Path],
                                                             metadata: str) -> None:
    dist(path[0], "demo_pkg-3.1.dist-info", metadata)
    assert same("demo-pkg") == "3.1"


@pytest.mark.parametrize("metadata", [
    plain("4.0").replace("Version: 4.0", "Version: 4.0\n  .post1"),  # folded
    "Name: Demo.Pkg\nSummary: x\n y\nVersion: 4.0\n\n",  # a fold before Version
    "Name: Demo.Pkg\nSummary: x\n\nVersion: 4.0\n",  # in the body: no version
    "Name: Demo.Pkg\nnot a header\nVersion: 4.0\n\n",
    b"Name: Demo.Pkg\nVersion: 4.0\xff\n\n",  # not UTF-8
])
def test_anything_less_plain_is_left_to_importlib_metadata(path: list[Path],
                                                           metadata: str | bytes) -> None:
    dist(path[0], "demo_pkg-4.0.dist-info", metadata)
    if isinstance(metadata, bytes):
        with pytest.raises(UnicodeDecodeError):
            importlib.metadata.version("demo-pkg")
        assert _dist_info_version("demo-pkg") is None
        return
    assert same("demo-pkg") is None


def test_eggs_zips_and_two_in_one_folder_are_left_to_importlib_metadata(
        path: list[Path]) -> None:
    dist(path[1], "demo_pkg-9.dist-info", plain("9"))
    (path[0] / "demo_pkg-5.egg-info").mkdir()
    (path[0] / "demo_pkg-5.egg-info" / "PKG-INFO").write_text(plain("5"))
    assert same("demo-pkg") is None
    assert installed_version("demo-pkg") == "5"

    two = path[0].parent / "two"
    dist(two, "demo_pkg-6.dist-info", plain("6"))
    dist(two, "Demo_Pkg-7.dist-info", plain("7"))
    sys.path[:] = [str(two)]
    assert same("demo-pkg") is None

    archive = path[0].parent / "packed.zip"
    with zipfile.ZipFile(archive, "w") as packed:
        packed.writestr("demo_pkg-8.dist-info/METADATA", plain("8"))
    sys.path[:] = [str(archive), str(path[1])]
    assert same("demo-pkg") is None
    assert installed_version("demo-pkg") == "8"


def test_a_distribution_not_installed_is_an_error_as_in_importlib_metadata(
        path: list[Path]) -> None:
    with pytest.raises(importlib.metadata.PackageNotFoundError):
        installed_version("demo-pkg")


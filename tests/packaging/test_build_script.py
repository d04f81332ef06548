"""build.py and buildinfo.py without PyInstaller: names, version, archives, errors."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
import tarfile
import zipfile

import pytest

import console


def test_version_is_read_from_source(buildinfo):
    assert buildinfo.read_version() == console.__version__


@pytest.mark.parametrize(
    ("system", "machine", "tag"),
    [
        ("linux", "x86_64", "linux-x86_64"),
        ("linux", "aarch64", "linux-arm64"),
        ("win32", "AMD64", "windows-x86_64"),
        ("darwin", "arm64", "macos-arm64"),
        ("darwin", "x86_64", "macos-x86_64"),
    ],
)
def test_platform_tag(buildinfo, system, machine, tag):
    assert buildinfo.platform_tag(system, machine) == tag


def test_platform_tag_of_this_machine_has_two_parts(buildinfo):
    system, machine = buildinfo.platform_tag().split("-", 1)
    assert system in {"linux", "windows", "macos"} or system == sys.platform
    assert machine


@pytest.mark.parametrize(
    ("tag", "onefile", "name"),
    [
        ("linux-x86_64", False, "telnyx-console-0.1.0-linux-x86_64.tar.gz"),
        ("linux-x86_64", True, "telnyx-console-0.1.0-linux-x86_64-onefile.tar.gz"),
        ("windows-x86_64", False, "telnyx-console-0.1.0-windows-x86_64.zip"),
        ("macos-arm64", False, "telnyx-console-0.1.0-macos-arm64.zip"),
    ],
)
def test_archive_name(buildinfo, tag, onefile, name):
    assert buildinfo.archive_name("0.1.0", tag, onefile=onefile) == name


@pytest.mark.parametrize(
    ("version", "numbers"),
    [("0.1.0", (0, 1, 0, 0)), ("1.2.3.4", (1, 2, 3, 4)), ("1.2rc1", (1, 2, 0, 0))],
)
def test_windows_version_numbers(buildinfo, version, numbers):
    assert buildinfo.version_tuple(version) == numbers


def test_windows_version_file_is_one_expression_with_the_version(buildinfo):
    text = buildinfo.windows_version_file("0.1.0")
    tree = ast.parse(text, mode="exec")
    assert len(tree.body) == 1 and isinstance(tree.body[0].value, ast.Call)
    assert "StringStruct('ProductVersion', '0.1.0')" in text
    assert "filevers=(0, 1, 0, 0)" in text


def test_icon_svg_is_found(buildinfo):
    svg = buildinfo.find_icon_svg()
    assert svg is not None and svg.suffix == ".svg"


@pytest.mark.parametrize(
    ("system", "onefile", "archived", "executable"),
    [
        ("linux", False, "telnyx-console", "telnyx-console/telnyx-console"),
        ("linux", True, "telnyx-console", "telnyx-console"),
        ("win32", False, "telnyx-console", "telnyx-console/telnyx-console.exe"),
        ("win32", True, "telnyx-console.exe", "telnyx-console.exe"),
        (
            "darwin",
            False,
            "telnyx-console.app",
            "telnyx-console.app/Contents/MacOS/telnyx-console",
        ),
    ],
)
def test_bundle_paths(build_script, tmp_path, system, onefile, archived, executable):
    bundle, exe = build_script.bundle_paths(tmp_path, onefile=onefile, system=system)
    assert bundle == tmp_path / archived
    assert exe == tmp_path / executable


def _tiny_bundle(tmp_path):
    bundle = tmp_path / "telnyx-console"
    (bundle / "_internal").mkdir(parents=True)
    (bundle / "telnyx-console").write_bytes(b"\x7fELF")
    (bundle / "_internal" / "VERSION").write_text("telnyx-console 0.1.0\n")
    return bundle


def test_tar_archive_has_one_versioned_top_folder(build_script, tmp_path):
    bundle = _tiny_bundle(tmp_path)
    archive = tmp_path / "out" / "telnyx-console-0.1.0-linux-x86_64.tar.gz"
    build_script.write_archive(bundle, archive, "telnyx-console-0.1.0")
    with tarfile.open(archive) as tar:
        names = set(tar.getnames())
    assert "telnyx-console-0.1.0/telnyx-console" in names
    assert "telnyx-console-0.1.0/_internal/VERSION" in names
    assert {name.split("/")[0] for name in names} == {"telnyx-console-0.1.0"}
    assert not list(archive.parent.glob("*.part"))


def test_zip_archive_of_a_single_file(build_script, tmp_path):
    exe = tmp_path / "telnyx-console.exe"
    exe.write_bytes(b"MZ")
    archive = tmp_path / "telnyx-console-0.1.0-windows-x86_64-onefile.zip"
    build_script.write_archive(exe, archive, "telnyx-console-0.1.0")
    with zipfile.ZipFile(archive) as zf:
        assert zf.namelist() == ["telnyx-console-0.1.0/telnyx-console.exe"]


def test_unknown_archive_type_is_a_build_error(build_script, tmp_path):
    with pytest.raises(build_script.BuildError, match="unknown archive type"):
        build_script.write_archive(_tiny_bundle(tmp_path), tmp_path / "x.rar", "x")


@pytest.mark.parametrize(
    ("n", "text"), [(512, "512 B"), (2048, "2.0 KB"), (186 * 1024**2, "186.0 MB")]
)
def test_human_size(build_script, n, text):
    assert build_script.human_size(n) == text


def test_missing_pyinstaller_is_a_readable_error(build_script, monkeypatch, tmp_path, capsys):
    real_find_spec = build_script.importlib.util.find_spec
    monkeypatch.setattr(
        build_script.importlib.util,
        "find_spec",
        lambda name, *a: None if name == "PyInstaller" else real_find_spec(name, *a),
    )
    status = build_script.main(["--workpath", str(tmp_path / "w"), "--distpath", str(tmp_path)])
    err = capsys.readouterr().err
    assert status == 1
    assert "PyInstaller is not installed" in err and "Traceback" not in err


def test_icons_render_from_the_svg(buildinfo, tmp_path):
    # A subprocess: a QGuiApplication here would break the QApplication of the UI tests.
    done = subprocess.run(
        [
            sys.executable,
            str(buildinfo.ROOT / "packaging" / "make_icons.py"),
            str(buildinfo.find_icon_svg()),
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        env=dict(os.environ, QT_QPA_PLATFORM="offscreen"),
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "telnyx-console.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert (tmp_path / "telnyx-console.ico").read_bytes()[:4] == b"\x00\x00\x01\x00"


def test_icons_refuse_a_file_that_is_not_svg(buildinfo, tmp_path):
    bad = tmp_path / "bad.svg"
    bad.write_text("not svg")
    done = subprocess.run(
        [
            sys.executable,
            str(buildinfo.ROOT / "packaging" / "make_icons.py"),
            str(bad),
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        env=dict(os.environ, QT_QPA_PLATFORM="offscreen"),
        check=False,
    )
    assert done.returncode == 1
    assert "is not a valid SVG" in done.stderr and "Traceback" not in done.stderr

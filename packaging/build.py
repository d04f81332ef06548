"""Build the PyInstaller bundle of telnyx-console and archive it; see packaging/README.md."""

from __future__ import annotations

import argparse
import importlib.util
import os
import shutil
import subprocess
import sys
import tarfile
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import buildinfo

ROOT = buildinfo.ROOT
SPEC = ROOT / "packaging" / "telnyx-console.spec"


class BuildError(Exception):
    """A build step failed; the message is what the user reads."""


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="packaging/build.py", description=__doc__)
    parser.add_argument("--onefile", action="store_true", help="build one executable file")
    parser.add_argument("--skip-archive", action="store_true", help="do not write the archive")
    parser.add_argument("--workpath", type=Path, default=ROOT / "build" / "pyinstaller")
    parser.add_argument("--distpath", type=Path, default=ROOT / "dist")
    parser.add_argument(
        "--log-level", default="WARN", help="PyInstaller's log level (default: %(default)s)"
    )
    return parser.parse_args(argv)


def human_size(n_bytes: int) -> str:
    size = float(n_bytes)
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    raise AssertionError("unreachable")


def tree_size(path: Path) -> tuple[int, int]:
    """Bytes and file count under ``path`` (a file counts as itself); symlinks are not followed."""
    if path.is_file():
        return path.stat().st_size, 1
    total = count = 0
    for item in path.rglob("*"):
        if item.is_file() and not item.is_symlink():
            total += item.stat().st_size
            count += 1
    return total, count


def bundle_paths(distpath: Path, *, onefile: bool, system: str = sys.platform) -> tuple[Path, Path]:
    """(what to archive, the executable to smoke-test) for a build into ``distpath``."""
    exe_name = buildinfo.APP_NAME + (".exe" if system == "win32" else "")
    if system == "darwin":
        app = distpath / f"{buildinfo.APP_NAME}.app"
        return app, app / "Contents" / "MacOS" / buildinfo.APP_NAME
    if onefile:
        return distpath / exe_name, distpath / exe_name
    return distpath / buildinfo.APP_NAME, distpath / buildinfo.APP_NAME / exe_name


def write_archive(source: Path, archive: Path, top: str) -> Path:
    """Archive ``source`` as ``top/...`` (tar.gz or zip by suffix), keeping symlinks in tars."""
    archive.parent.mkdir(parents=True, exist_ok=True)
    tmp = archive.with_name(archive.name + ".part")
    if archive.name.endswith(".tar.gz"):
        with tarfile.open(tmp, "w:gz", compresslevel=6) as tar:
            tar.add(source, arcname=top if source.is_dir() else f"{top}/{source.name}")
    elif archive.suffix == ".zip":
        if sys.platform == "darwin" and shutil.which("ditto"):
            # zipfile drops the symlinks inside Qt's frameworks, which breaks the .app signature
            subprocess.run(
                ["ditto", "-c", "-k", "--sequesterRsrc", "--keepParent", str(source), str(tmp)],
                check=True,
            )
        else:
            with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
                files = [source] if source.is_file() else sorted(source.rglob("*"))
                for item in files:
                    rel = item.name if item == source else item.relative_to(source).as_posix()
                    zf.write(item, f"{top}/{rel}")
    else:
        raise BuildError(f"unknown archive type: {archive.name}")
    tmp.replace(archive)
    return archive


def run_pyinstaller(args: argparse.Namespace, distpath: Path) -> None:
    if importlib.util.find_spec("PyInstaller") is None:
        raise BuildError(
            "PyInstaller is not installed in this environment; install the packaging extra:\n"
            f"    {sys.executable} -m pip install -e '.[package]'   (or: scripts/bootstrap package)"
        )
    env = dict(os.environ, TELNYX_CONSOLE_ONEFILE="1" if args.onefile else "0")
    env.setdefault("QT_QPA_PLATFORM", "offscreen")  # icon rendering needs no display
    command = [
        sys.executable,
        "-m",
        "PyInstaller",
        "--noconfirm",
        "--clean",
        "--log-level",
        args.log_level,
        "--workpath",
        str(args.workpath),
        "--distpath",
        str(distpath),
        str(SPEC),
    ]
    print("$ " + " ".join(command), flush=True)
    if subprocess.run(command, cwd=ROOT, env=env).returncode != 0:
        raise BuildError("PyInstaller failed; its messages are above")


def smoke_test(executable: Path, version: str) -> None:
    if not executable.is_file():
        raise BuildError(f"the build produced no executable at {executable}")
    try:
        done = subprocess.run(
            [str(executable), "--version"], capture_output=True, text=True, timeout=60
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise BuildError(f"the built executable does not run: {exc}") from None
    # Windowed builds (Windows, macOS) have no stdout, so only the exit status is checked there.
    windowed = sys.platform in ("win32", "darwin")
    if done.returncode != 0 or (not windowed and version not in done.stdout):
        raise BuildError(
            f"`{executable.name} --version` failed (status {done.returncode}):\n"
            f"{(done.stdout + done.stderr).strip()[-2000:]}"
        )


def build(args: argparse.Namespace) -> list[Path]:
    version = buildinfo.read_version()
    # The one-file executable would take the one-folder bundle's name, so it gets its own folder.
    distpath = args.distpath / "onefile" if args.onefile else args.distpath
    started = time.monotonic()
    run_pyinstaller(args, distpath)
    elapsed = time.monotonic() - started
    bundle, executable = bundle_paths(distpath, onefile=args.onefile)
    smoke_test(executable, version)
    size, files = tree_size(bundle)
    kind = "one-file executable" if args.onefile else "one-folder bundle"
    print(f"built {kind}: {bundle} ({human_size(size)}, {files} files) in {elapsed:.1f} s")
    produced = [bundle]
    if not args.skip_archive:
        tag = buildinfo.platform_tag()
        name = buildinfo.archive_name(version, tag, onefile=args.onefile)
        started = time.monotonic()
        archive = write_archive(bundle, args.distpath / name, f"{buildinfo.APP_NAME}-{version}")
        print(
            f"archive: {archive} ({human_size(archive.stat().st_size)}) "
            f"in {time.monotonic() - started:.1f} s"
        )
        produced.append(archive)
    return produced


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        build(args)
    except BuildError as exc:
        print(f"build.py: error: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"build.py: error: {exc.strerror or exc} ({exc.filename or ''})", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

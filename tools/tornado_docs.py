"""Tornado's own documentation, built from the pinned release's source distribution.

The sdist ships docs/ and the requirements.txt that pins the Sphinx its docs are built
with. Two tools use it: tools/inventory.py (Tornado's real objects.inv, kept in the
repository) and tools/bench_build.py (our build speed beside Tornado's).

The Sphinx that Tornado pins goes into a virtualenv of its own, in a temporary folder;
our .venv is not touched.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
import time
import venv
from dataclasses import dataclass
from pathlib import Path


def pinned_tornado() -> str:
    """The Tornado version the guide pins (and has installed)."""
    import tornado

    return tornado.version


@dataclass
class TornadoDocs:
    source: Path  # the unpacked sdist: source/docs/, source/tornado/
    python: Path  # the interpreter whose Sphinx builds them
    sphinx: str  # that Sphinx's version
    note: str  # how that Sphinx was chosen

    @property
    def docs(self) -> Path:
        return self.source / "docs"

    def build_command(self, outdir: Path, doctrees: Path) -> list[str]:
        # As Tornado's tox.ini builds them, without -W -n: offline, the inventory of
        # Python's documentation cannot be fetched, which only warns.
        return [
            str(self.python),
            "-m",
            "sphinx",
            "build",
            "-q",
            "-b",
            "html",
            "-d",
            str(doctrees),
            str(self.docs),
            str(outdir),
        ]

    def build(self, outdir: Path, doctrees: Path) -> float:
        """Build the HTML (incrementally if doctrees exist) and return the seconds it took."""
        # Tornado's conf.py imports the tornado next to docs/; its C extension is not built.
        env = dict(os.environ, TORNADO_EXTENSION="0", PYTHONPATH=str(self.source))
        start = time.perf_counter()
        result = subprocess.run(
            self.build_command(outdir, doctrees), cwd=self.docs, env=env, capture_output=True, text=True
        )
        seconds = time.perf_counter() - start
        if result.returncode != 0:
            raise RuntimeError(f"Tornado's docs did not build:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
        return seconds


def download_sdist(version: str, folder: Path) -> Path:
    """Download and unpack tornado==VERSION's source distribution into FOLDER; return its root."""
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--quiet", "--disable-pip-version-check",
         "--no-deps", "--no-binary", ":all:", f"tornado=={version}", "-d", str(folder)],
        check=True,
    )  # fmt: skip
    archive = folder / f"tornado-{version}.tar.gz"
    with tarfile.open(archive) as tar:
        tar.extractall(folder, **({"filter": "data"} if hasattr(tarfile, "data_filter") else {}))
    return folder / f"tornado-{version}"


def prepare(workdir: Path, version: str | None = None) -> TornadoDocs:
    """Download the sdist and install the Sphinx its requirements.txt pins into WORKDIR/venv.

    If that Sphinx cannot be installed (offline, say), fall back to ours and say so in .note.
    """
    version = version or pinned_tornado()
    source = download_sdist(version, workdir / "sdist")
    pins = source / "requirements.txt"
    env_dir = workdir / "venv"
    python = env_dir / "bin" / "python"
    try:
        venv.create(env_dir, with_pip=True)
        subprocess.run(
            [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
             "-c", str(pins), "sphinx", "sphinx_rtd_theme"],
            check=True, capture_output=True, text=True,
        )  # fmt: skip
        note = f"the Sphinx pinned in tornado-{version}/requirements.txt, in a virtualenv of its own"
    except subprocess.CalledProcessError as error:
        python = Path(sys.executable)
        note = (
            f"Tornado's pinned Sphinx could not be installed ({error.stderr.strip().splitlines()[-1:]}); "
            "built with the guide's own Sphinx instead"
        )
    sphinx = subprocess.run(
        [str(python), "-c", "import sphinx; print(sphinx.__version__)"], check=True, capture_output=True, text=True
    ).stdout.strip()
    return TornadoDocs(source=source, python=python, sphinx=sphinx, note=note)

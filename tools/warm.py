"""A warm Sphinx for `make serve`: the imports done once, each rebuild a fork.

Starting Python, importing Sphinx and setting up the extensions takes over half a second
of every build. `make serve` keeps one worker process that has done all that, and forks
it for each language of each rebuild: the child runs `sphinx build` as the command line
would (it reads conf.py, the catalogs and the pickled environment afresh), so the result
is the same as `python -m tools.site build`. The worker has no threads, so forking it is
safe. It preloads only third-party packages: the guide's own extensions in tools/ are
imported by each child, so an edit to them applies on the next rebuild.

Protocol (one JSON line per rebuild): the server writes a list of sphinx-build argument
lists on the worker's stdin; the worker answers with the list of their exit codes on its
stdout, once every child has finished. The children write their messages on stderr.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import traceback

from tools.project import ROOT

# What conf.py loads, imported once in the worker.
PRELOAD = (
    "sphinx.cmd.build",
    "sphinx.application",
    "sphinx.builders.html",
    "sphinx.ext.intersphinx",
    "myst_parser",
    "myst_parser.sphinx_ext.main",
    "furo",
    "sphinx_copybutton",
    "sphinx_design",
    "sphinx_design.extension",
    "tornado",
)


def _child(argv: list[str], quiet_stdout: bool = True) -> int:
    from sphinx.cmd.build import main

    if quiet_stdout:
        os.dup2(2, 1)  # the worker's stdout carries the answers only
    try:
        return main(argv)
    except SystemExit as exit:
        return exit.code if isinstance(exit.code, int) else 1
    except BaseException:
        traceback.print_exc()
        return 1


def preload() -> None:
    import importlib

    for name in PRELOAD:
        try:
            importlib.import_module(name)
        except ImportError:
            pass


def fork_builds(jobs: list[list[str]], quiet_stdout: bool) -> list[int]:
    """Run each sphinx-build argument list in a forked child, all at once; return their exit codes."""
    children = []
    for argv in jobs:
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                code = _child(argv, quiet_stdout)
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(code)
        children.append(pid)
    return [os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) for pid in children]


class ForkedSphinx:
    """For `python -m tools.site build`: import Sphinx once in this process and fork a child
    per language, rather than start a Python per language that each import it. Only for a
    process without threads (the command line), where fork is safe."""

    def run(self, commands: list[list[str]]) -> list[int]:
        preload()
        return fork_builds(commands, quiet_stdout=False)


def worker() -> None:
    preload()
    answers = os.fdopen(os.dup(1), "w")
    for line in sys.stdin:
        codes = fork_builds(json.loads(line), quiet_stdout=True)
        answers.write(json.dumps(codes) + "\n")
        answers.flush()


class WarmSphinx:
    """The server's side: start the worker (again, if it stopped) and send it builds."""

    def __init__(self, env: dict[str, str] | None = None):
        self.env = env
        self.process: subprocess.Popen | None = None

    def _start(self) -> None:
        self.close()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tools.warm"], cwd=ROOT, env=self.env,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        )  # fmt: skip

    def run(self, commands: list[list[str]]) -> list[int]:
        """Run sphinx-build argument lists (without `python -m sphinx`) in parallel; return their exit codes."""
        if self.process is None or self.process.poll() is not None:
            self._start()
        try:
            self.process.stdin.write(json.dumps(commands) + "\n")
            self.process.stdin.flush()
            answer = self.process.stdout.readline()
            return json.loads(answer)
        except (OSError, ValueError):
            self.close()
            raise RuntimeError("the warm Sphinx worker stopped") from None

    def close(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            self.process = None


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    worker()

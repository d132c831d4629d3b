"""The console-script entry point (and ``python -m studsa``): answers ``--version`` at once,
and ``--help`` from ``helpcache`` when it was drawn before for the same code and terminal."""

from __future__ import annotations

import gc
import sys

# A command is a short batch run that allocates hundreds of thousands of small objects (a
# large project's assessments) and frees them at exit: collect cycles rarely, as other
# batch tools do (mypy, for one). Saves about a fifth of the time of a large `score`.
GC_THRESHOLD = (100_000, 50, 100)


def main() -> None:
    """Run studsa; ``--version`` (and ``--help`` as drawn before) answer without the CLI."""
    if sys.argv[1:] == ["--version"]:
        from studsa import __version__

        sys.stdout.write(f"studsa {__version__}\n")
        return
    argv = sys.argv[1:]
    if argv in (["--help"], ["-h"]):
        from studsa import helpcache  # the same help as last time, without Typer or rich

        if helpcache.replay(argv):
            return
        with helpcache.recording(argv):
            _run()
        return
    _run()


def _run() -> None:
    gc.set_threshold(*GC_THRESHOLD)
    from studsa.cli import main as cli_main

    cli_main()


if __name__ == "__main__":
    main()

"""The console-script entry point (and ``python -m studsa``): answers ``--version`` without
importing the CLI, and hands everything else to the Typer application."""

from __future__ import annotations

import os
import sys


def main() -> None:
    """Run studsa; ``studsa --version`` answers at once, without Typer or rich."""
    if sys.argv[1:] == ["--version"]:
        from studsa import __version__

        sys.stdout.write(f"studsa {__version__}\n")
        return
    # studsa uses no pydantic plugins: without this, pydantic reads the entry points of
    # every installed distribution to look for some (a documented switch of pydantic's).
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    from studsa.cli import main as cli_main

    cli_main()


if __name__ == "__main__":
    main()

"""``studsa workshop``: the raters rate from their phones; studsa keeps the record."""

from __future__ import annotations

from typing import Annotated

import typer

from studsa import console
from studsa.cli.common import PANEL_PRIORITERA, ProjectOpt, handle_errors, new_app, open_workspace
from studsa.errors import UsageError
from studsa.i18n import message

workshop_app = new_app(
    "A rating workshop in the room: every rater rates from a phone, the room sees where it "
    "disagrees, and every ballot is written into the raters' files.\n\n"
    "Needs the optional extra: [bold]pip install 'studsa[workshop]'[/]\n\n"
    "Example: [bold]studsa workshop serve --mode pseudonymous --rater Anna --rater Bo[/]"
)

MODES = ("named", "pseudonymous", "anonymous")
PACINGS = ("free", "challenge", "criterion")
DEFAULT_PORT = 8765


def _extra_installed() -> None:
    import importlib.util

    missing = [name for name in ("starlette", "uvicorn", "segno")
               if importlib.util.find_spec(name) is None]
    if missing:
        raise UsageError(message("ws_err_extra", missing=", ".join(missing)))


@workshop_app.command("serve")
@handle_errors
def serve(
    mode: Annotated[str, typer.Option(help="named, pseudonymous or anonymous (recorded, "
                                      "and shown on every ballot before voting).")] = "named",
    pacing: Annotated[str, typer.Option(help="free (every cell at once), challenge or "
                                        "criterion (one at a time, set by the facilitator).")
                      ] = "free",
    rater: Annotated[list[str] | None, typer.Option(
        "--rater", help="A rater's name (repeat), besides the raters with a file.")] = None,
    seats: Annotated[int | None, typer.Option(help="Anonymous mode: how many seats.")] = None,
    project_raters: Annotated[bool, typer.Option(
        help="Seat the raters who already have a file in the project.")] = True,
    top: Annotated[int | None, typer.Option(help="How many challenges the shortlist holds "
                                            "(default: the selection's size, else 4).")] = None,
    name: Annotated[str | None, typer.Option(help="The session's file name (default: the "
                                             "date; an open session of that name resumes).")
                    ] = None,
    port: Annotated[int, typer.Option(help="The port (0: any free one).")] = DEFAULT_PORT,
    loopback_only: Annotated[bool, typer.Option(
        help="Listen on 127.0.0.1 only (no phones; for a try-out on this computer).")] = False,
    idle_minutes: Annotated[float, typer.Option(
        help="Stop when nothing has happened for this long.")] = 30.0,
    project: ProjectOpt = None,
) -> None:
    """Serve a rating session to the raters' phones (Ctrl-C stops; start again to resume).

    Prints the facilitator's link; from there the projector view and a printable sheet
    with one QR code per rater. Listens on this computer's LAN address and loopback only.
    """
    import datetime as dt

    _extra_installed()
    if mode not in MODES:
        raise UsageError(message("ws_err_mode", choices=", ".join(MODES)))
    if pacing not in PACINGS:
        raise UsageError(message("ws_err_pacing", choices=", ".join(PACINGS)))
    if idle_minutes <= 0:
        raise UsageError(message("ws_err_idle"))
    from studsa.i18n import use_language
    from studsa.workshop.hub import Hub
    from studsa.workshop.net import lan_addresses
    from studsa.workshop.server import bind
    from studsa.workshop.server import serve as run
    from studsa.workshop.start import StartOptions, open_session

    ws = open_workspace(project)
    use_language(ws.language)
    addresses = ["127.0.0.1"]
    if not loopback_only:
        lan = lan_addresses()
        if not lan:
            raise UsageError(message("ws_err_no_lan"))
        addresses.append(lan[0][1])
    options = StartOptions(mode=mode, pacing=pacing, raters=rater or [],  # type: ignore[arg-type]
                           seats=seats, project_raters=project_raters, top=top, name=name)
    bound = bind(addresses, port)
    session, resumed = open_session(ws, options, lambda: dt.datetime.now(dt.UTC))
    base = f"http://{addresses[-1]}:{bound.port}"
    hub = Hub(session, address=base, idle_seconds=idle_minutes * 60)

    def started() -> None:
        record = ws.store.rel(session.files.record_path)
        console.done(message("ws_resumed" if resumed else "ws_started", file=record,
                             mode=session.record.mode))
        print(message("ws_link_facilitator", url=f"{base}/f/{session.keys.facilitator}"))
        print(message("ws_link_sheet", url=f"{base}/f/{session.keys.facilitator}/sheet"))
        print(message("ws_link_projector", url=f"{base}/p/{hub.projector_token}"))
        print(message("ws_link_join", url=f"{base}/join", code=session.keys.room_code),
              flush=True)
        console.info(message("ws_stop_hint", minutes=f"{idle_minutes:g}"))

    run(hub, ws.language, bound, started)
    if session.phase == "finished" and hub.revealed is not None:
        from studsa.workshop.close import select_command

        shown = hub.revealed
        console.done(message("ws_finished", file=ws.store.rel(session.files.record_path)))
        if shown.cut_tie:
            console.info(message("ws_select_tie", ids=", ".join(shown.cut_tie)))
        console.info(message("ws_select_hint", command=select_command(
            session.files.stem, shown, project)))
        console.info(message("ws_render_hint"))
    else:
        console.info(message("ws_paused"))


def register(app: typer.Typer) -> None:
    """Add the workshop command group."""
    app.add_typer(workshop_app, name="workshop", rich_help_panel=PANEL_PRIORITERA)

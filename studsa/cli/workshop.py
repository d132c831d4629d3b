"""``studsa workshop``: the raters rate from their phones; studsa keeps the record."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from studsa import console
from studsa.cli.common import PANEL_PRIORITERA, ProjectOpt, handle_errors, new_app, open_workspace
from studsa.errors import UsageError
from studsa.i18n import message

if TYPE_CHECKING:
    from studsa.workshop.server import Bound

workshop_app = new_app(
    message("ws_help_group")
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


@workshop_app.command("serve", help=message("ws_help_serve"))
@handle_errors
def serve(
    mode: Annotated[str, typer.Option(help=message("ws_help_mode"))] = "named",
    pacing: Annotated[str, typer.Option(help=message("ws_help_pacing"))
                      ] = "free",
    rater: Annotated[list[str] | None, typer.Option(
        "--rater", help=message("ws_help_rater"))] = None,
    seats: Annotated[int | None, typer.Option(help=message("ws_help_seats"))] = None,
    project_raters: Annotated[bool, typer.Option(
        help=message("ws_help_project_raters"))] = True,
    top: Annotated[int | None, typer.Option(help=message("ws_help_top"))] = None,
    name: Annotated[str | None, typer.Option(help=message("ws_help_name"))
                    ] = None,
    port: Annotated[int, typer.Option(help=message("ws_help_port"))] = DEFAULT_PORT,
    loopback_only: Annotated[bool, typer.Option(
        help=message("ws_help_loopback"))] = False,
    idle_minutes: Annotated[float, typer.Option(
        help=message("ws_help_idle"))] = 30.0,
    project: ProjectOpt = None,
) -> None:
    """Serve a rating session to the raters' phones."""
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


@workshop_app.command("doctor", help=message("ws_help_doctor"))
@handle_errors
def doctor(
    serve_test: Annotated[bool, typer.Option("--serve", help=message("ws_help_doctor_serve"))
                          ] = False,
    port: Annotated[int, typer.Option(help=message("ws_help_port"))] = DEFAULT_PORT,
    loopback_only: Annotated[bool, typer.Option(
        help=message("ws_help_loopback"))] = False,
    minutes: Annotated[float, typer.Option(help=message("ws_help_doctor_minutes"))] = 10.0,
) -> None:
    """Can the raters' phones reach this computer? Addresses, a self-test page, fallbacks."""
    from studsa.workshop.net import lan_addresses

    lan = [] if loopback_only else lan_addresses()
    bound = None
    if serve_test:
        _extra_installed()
        if minutes <= 0:
            raise UsageError(message("ws_err_idle"))
        if not lan and not loopback_only:
            raise UsageError(message("ws_err_no_lan"))
        from studsa.workshop.server import bind

        bound = bind(["127.0.0.1", *[address for _name, address in lan]], port)
        port = bound.port
    if lan:
        print(message("ws_doctor_addresses"))
        for interface, address in lan:
            print(f"  {interface or '-':<10} {address:<15}  http://{address}:{port}/")
    elif not loopback_only:
        print(message("ws_doctor_no_address"))
    print()
    if bound is None:
        print(message("ws_doctor_how"))
        print()
    print(message("ws_doctor_fallbacks"))
    for key in ("ws_doctor_laptop", "ws_doctor_phone", "ws_doctor_firewall", "ws_doctor_paper"):
        print("  - " + message(key))
    if bound is not None:
        _self_test(bound, lan, minutes)


def _self_test(bound: Bound, lan: list[tuple[str, str]], minutes: float) -> None:
    from studsa.i18n import terminal_language
    from studsa.workshop.doctor import SelfTest, clock, serve_self_test

    own = {"127.0.0.1", *[address for _name, address in lan]}
    url = f"http://{lan[0][1] if lan else '127.0.0.1'}:{bound.port}/"
    reached: list[str] = []

    def report(client: str, what: str) -> None:
        if client not in own:
            reached.append(client)
        key = "ws_doctor_sent" if what == "sent" else "ws_doctor_opened"
        console.done(message(key, time=clock(), client=client)
                     + (message("ws_doctor_self") if client in own else ""))

    def started() -> None:
        print()
        print(message("ws_doctor_open_on_phone", url=url), flush=True)
        if console.out.is_terminal:
            import io

            import segno

            text = io.StringIO()
            segno.make(url, error="m").terminal(out=text, compact=True)
            print(text.getvalue(), flush=True)
        console.info(message("ws_doctor_waiting", minutes=f"{minutes:g}"))

    serve_self_test(SelfTest(terminal_language(), url, report), bound, minutes * 60, started)
    if reached:
        console.done(message("ws_doctor_ok", clients=", ".join(sorted(set(reached)))))
    elif lan:
        console.warn(message("ws_doctor_nothing"))


def register(app: typer.Typer) -> None:
    """Add the workshop command group."""
    app.add_typer(workshop_app, name="workshop", rich_help_panel=PANEL_PRIORITERA)

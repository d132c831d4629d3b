"""Crash consistency: SIGKILL a writing studsa at random moments, hundreds of times.

A helper process imports studsa once, then for each round forks a child that runs the real
``department add`` and ``theme add`` commands in a loop (or, while those commands do not
exist, the same read-modify-write through ``ProjectStore``), and kills it with SIGKILL after
a random (seeded) delay. After every kill both files must parse and validate, and hold a
complete state: departments ``d0..dK-1`` and themes ``t0..tM-1`` with M in {K-1, K}, never
fewer than before. Temporary files a kill leaves are ignored by loaders and removed by the
next write.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROUNDS = 200
SEED = 20211215

HELPER = r'''
import json, os, random, signal, sys, time
from pathlib import Path

from studsa.storage.layout import KARTA
from studsa.storage.project import ProjectStore
from studsa.models.project import Department
from studsa.models.utmaningskarta import Theme

root = Path(sys.argv[1])
rounds, seed = int(sys.argv[2]), int(sys.argv[3])
rng = random.Random(seed)

try:
    import typer.main
    from studsa.cli import app
    command = typer.main.get_command(app)
    use_cli = "department" in command.commands and "theme" in command.commands
except Exception:
    use_cli = False


def counts():
    store = ProjectStore(root)
    deps = [d.id for d in store.project().model.departments]
    themes = [t.id for t in store.load(KARTA).model.themes]
    return deps, themes


def cli(*args):
    try:
        command.main(args=[*args, "-p", str(root)], standalone_mode=False)
    except SystemExit:
        pass


def write_forever():
    store = ProjectStore(root)
    deps, themes = (len(ids) for ids in counts())
    while use_cli and themes < deps:  # a kill may have come between the two commands
        cli("theme", "add", f"Tema {themes}", "--id", f"t{themes}")
        themes += 1
    while True:
        if use_cli:
            cli("department", "add", f"Avdelning {deps}", "--id", f"d{deps}")
            cli("theme", "add", f"Tema {themes}", "--id", f"t{themes}")
            deps, themes = deps + 1, themes + 1
            continue
        with store.lock():
            doc = store.project()
            n = len(doc.model.departments)
            doc.model.departments.append(Department(id=f"d{n}", name=f"Avdelning {n}"))
            store.save(doc)
            karta = store.load(KARTA)
            m = len(karta.model.themes)
            karta.model.themes.append(Theme(id=f"t{m}", title=f"Tema {m}"))
            store.save(karta)


if use_cli:
    # Import everything the commands need once, so each forked writer starts writing at once.
    import shutil, tempfile
    with tempfile.TemporaryDirectory() as warm:
        shutil.copytree(root, Path(warm) / "p")
        for args in (["department", "add", "Varm"], ["theme", "add", "Varm"]):
            try:
                command.main(args=[*args, "-p", str(Path(warm) / "p")], standalone_mode=False)
            except SystemExit:
                pass

problems, temps_seen, last = [], 0, 0
for number in range(rounds):
    pid = os.fork()
    if pid == 0:
        try:
            write_forever()
        finally:
            os._exit(0)
    time.sleep(rng.uniform(0.005, 0.3))
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    temps = [p.name for p in root.rglob("*.tmp")]
    temps_seen += bool(temps)
    try:
        deps, themes = counts()
    except Exception as err:  # any load failure is a corrupted file
        problems.append(f"round {number}: {type(err).__name__}: {err}")
        continue
    k, m = len(deps), len(themes)
    if deps != [f"d{i}" for i in range(k)] or themes != [f"t{i}" for i in range(m)]:
        problems.append(f"round {number}: ids out of order: {deps} {themes}")
    if not (k - 1 <= m <= k):
        problems.append(f"round {number}: {k} departments but {m} themes")
    if k < last:
        problems.append(f"round {number}: went back from {last} to {k} departments")
    last = k
print(json.dumps({"problems": problems, "temps_seen": temps_seen, "departments": last,
                  "cli": use_cli}))
'''


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork() and SIGKILL (POSIX)")
def test_sigkill_during_writes_never_corrupts(new_project: Path, tmp_path: Path, cli) -> None:
    helper = tmp_path / "crash_helper.py"
    helper.write_text(HELPER, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(helper), str(new_project), str(ROUNDS), str(SEED)],
        capture_output=True, text=True, timeout=240, check=False,
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.strip().splitlines()[-1])
    print(f"crash test: {ROUNDS} kills, {report['departments']} departments written, "
          f"{report['temps_seen']} kills left a temp file (cli: {report['cli']})")
    assert report["problems"] == []
    assert report["departments"] >= 5, "the writer made too little progress to mean much"
    # Every file is still valid, and the next write cleans what the kills left behind.
    assert cli("validate", "-p", new_project).exit_code == 0
    extra = ["department", "add", "Sista"] if report["cli"] else None
    if extra:
        result = cli(*extra, "-p", new_project)
        assert result.exit_code == 0, result.stderr
        result = cli("theme", "add", "Sista temat", "-p", new_project)
        assert result.exit_code == 0, result.stderr
        assert not [p for p in new_project.rglob("*.tmp")
                    if p.name.startswith((".studsa.yaml.", ".utmaningskarta.yaml."))]


def test_stale_temp_files_do_not_confuse_commands(new_project: Path, cli) -> None:
    karta = new_project / "2-identifiera" / "utmaningskarta.yaml"
    junk = karta.parent / ".utmaningskarta.yaml.abcd1234.tmp"
    junk.write_bytes(karta.read_bytes()[:40])  # a half-written temp file
    rater = new_project / "3-prioritera" / "bedomningar"
    rater.mkdir(parents=True, exist_ok=True)
    (rater / ".anna.yaml.abcd1234.tmp").write_text("schema: studsa.bedo", encoding="utf-8")
    assert cli("validate", "-p", new_project).exit_code == 0
    assert cli("status", "-p", new_project).exit_code == 0
    result = cli("theme", "add", "Trafik", "-p", new_project)
    assert result.exit_code == 0, result.stderr
    assert not junk.exists()


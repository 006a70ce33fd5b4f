"""Lighthouse's accessibility audit of one page, run from the copy `make lighthouse` installs.

    python -m tests.lighthouse http://127.0.0.1:8000/articles/some-slug/

prints the score and every failing audit, and exits 1 below 100. tests/browser/test_lighthouse.py
runs the same audit against its own live server.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TOOLS = ROOT / ".tools" / "lighthouse"
LIGHTHOUSE = TOOLS / "node_modules" / ".bin" / "lighthouse"
INSTALLED = TOOLS / "node_modules" / ".installed"  # written by make once npm ci has finished
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROME_FLAGS = "--headless --no-sandbox --disable-gpu --disable-background-networking"
# Only the accessibility category, nothing throttled, no screenshot: a run takes seconds and
# makes no request beyond the page's own.
OPTIONS = [
    "--only-categories=accessibility",
    "--disable-full-page-screenshot",
    "--throttling-method=provided",
    "--max-wait-for-load=30000",
    "--output=json",
    "--quiet",
    f"--chrome-flags={CHROME_FLAGS}",
]
FORM_FACTORS = {"mobile": [], "desktop": ["--preset=desktop"]}


def missing():
    """Why lighthouse cannot run on this machine, or "" when it can."""
    if not shutil.which("node"):
        return "node is not installed (Lighthouse needs node 18 or later)"
    if not INSTALLED.exists():
        return f"Lighthouse is not installed in {TOOLS}: run `make lighthouse`"
    if not Path(CHROMIUM).exists():
        return f"Chromium is not installed at {CHROMIUM}"
    return ""


def audit(url, *, form_factor="mobile", report_path=None, timeout=180):
    """Lighthouse's JSON report on `url`'s accessibility (written to `report_path` too), with
    `report["requested"]`: every address the browser asked for while loading the page."""
    with tempfile.TemporaryDirectory() as folder:
        output = Path(report_path or Path(folder) / "report.json")
        command = [str(LIGHTHOUSE), url, *OPTIONS, *FORM_FACTORS[form_factor]]
        # -GA keeps what was gathered, the browser's network log among it.
        command += [f"--output-path={output}", f"-GA={folder}"]
        env = {**os.environ, "CHROME_PATH": CHROMIUM}
        subprocess.run(command, env=env, check=True, timeout=timeout, capture_output=True)
        report = json.loads(output.read_text())
        log = json.loads((Path(folder) / "defaultPass.devtoolslog.json").read_text())
    report["requested"] = sorted(
        {e["params"]["request"]["url"] for e in log if e["method"] == "Network.requestWillBeSent"}
    )
    return report


def score(report):
    return report["categories"]["accessibility"]["score"]


def failing(report):
    """One line per audit that counts towards the score and failed, with the elements."""
    lines = []
    for ref in report["categories"]["accessibility"]["auditRefs"]:
        result = report["audits"][ref["id"]]
        if ref["weight"] and result["score"] is not None and result["score"] < 1:
            items = (result.get("details") or {}).get("items", [])
            nodes = [item["node"].get("selector", "?") for item in items if "node" in item]
            lines.append(f"{ref['id']}: {result['title']} -> {', '.join(nodes) or '(page)'}")
    return lines


def main(argv):
    if len(argv) != 2:
        sys.exit(__doc__)
    if reason := missing():
        sys.exit(reason)
    worst = 1
    for form_factor in FORM_FACTORS:
        report = audit(argv[1], form_factor=form_factor)
        worst = min(worst, score(report))
        print(f"Lighthouse accessibility ({form_factor}): {round(score(report) * 100)}")
        for line in failing(report):
            print(f"  {line}")
    return 0 if worst == 1 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))

"""Run axe-core (from the pinned npm package) in the page and return its violations.

Every rule axe runs by default: WCAG 2.2 A and AA and axe's best-practice rules (headings in
order, content in landmarks, table headers with text, a name for each summary). Experimental
rules stay off, as they are by default.
"""

from pathlib import Path

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


def violations(page) -> list[dict]:
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # Evaluated through the DevTools protocol, so the page's strict Content-Security-Policy
        # (which forbids injected script tags) stays on while axe runs.
        page.evaluate(AXE.read_text())
    result = page.evaluate("""async () => await axe.run(document, {resultTypes: ["violations"]})""")
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
    ]

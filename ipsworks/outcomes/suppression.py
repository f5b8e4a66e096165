"""Statistical disclosure control for figures shared outside the providing service:
commissioner pages and returns, the steering report, the API for commissioners and reviewers
(metric-definitions.md, "Suppression"; docs/security.md).

* Any count from 1 to 4 is shown as "<5".
* Every other count is rounded to the nearest 5, as NHS England publishes MHSDS figures below
  England level: nhsengland/MHSDS, ``MH Core Data Pack/UDAL/2B. STAGING TABLES/i) MONTHLY
  SCRIPTS/STAGING_CDP_I_IPS.sql``, step 5 ("standard rounding and suppression rules":
  ``ROUND(Measure_Value/5.0, 0)*5``). Rounding is what stops two overlapping periods being
  subtracted to recover the few people between them.
* Where exactly one cell in a row or column that has a total is suppressed, the smallest
  other cell (ties: the first; it may be a zero) is suppressed too and shown as "*", so no
  suppressed value can be recovered by subtraction.

Zero is shown as 0: the domain rule suppresses 1 to 4. Rates are worked out from the true
counts and shown only where neither count is suppressed.
"""

from dataclasses import dataclass

PRIMARY = "<5"
SECONDARY = "*"


@dataclass(frozen=True)
class Cell:
    value: int  # the true count: used to choose secondary cells, never shown
    shown: str

    @property
    def suppressed(self) -> bool:
        return self.shown in (PRIMARY, SECONDARY)

    @property
    def published(self) -> int | None:
        """The number that may leave the service: None where suppressed, else rounded."""
        return None if self.suppressed else rounded(self.value)


def rounded(value: int) -> int:
    """To the nearest 5. SQL Server's ROUND takes halves away from zero; a whole count
    divided by 5 never ends in exactly a half, so this is the same for every count."""
    return 5 * ((value + 2) // 5)


def primary(value: int) -> Cell:
    return Cell(value, PRIMARY if 1 <= value <= 4 else str(rounded(value)))


def suppress_line(values: list[int]) -> list[Cell]:
    """Suppress one row (or column) of counts that is shown with its total."""
    cells = [primary(v) for v in values]
    suppressed = [i for i, c in enumerate(cells) if c.suppressed]
    if len(suppressed) == 1:
        candidates = [i for i, c in enumerate(cells) if not c.suppressed]
        if candidates:
            smallest = min(candidates, key=lambda i: (cells[i].value, i))
            cells[smallest] = Cell(cells[smallest].value, SECONDARY)
    return cells


def suppress_table(rows: list[list[int]]) -> list[list[Cell]]:
    """Suppress a table whose rows and columns both have totals, until no line leaks.

    Secondary suppression in a row can leave a column with a single suppressed cell, so
    the rule is applied to rows and columns in turn until nothing changes.
    """
    grid = [[primary(v) for v in row] for row in rows]
    changed = True
    while changed:
        changed = False
        lines = [[(r, c) for c in range(len(grid[r]))] for r in range(len(grid))]
        if grid:
            lines += [[(r, c) for r in range(len(grid))] for c in range(len(grid[0]))]
        for line in lines:
            marked = [pos for pos in line if grid[pos[0]][pos[1]].suppressed]
            if len(marked) == 1:
                others = [pos for pos in line if not grid[pos[0]][pos[1]].suppressed]
                if others:
                    r, c = min(
                        others, key=lambda pos: (grid[pos[0]][pos[1]].value, line.index(pos))
                    )
                    grid[r][c] = Cell(grid[r][c].value, SECONDARY)
                    changed = True
    return grid


def suppressed_rate(numerator: int, denominator: int) -> str:
    """A percentage, or "Not shown" when either count would be suppressed."""
    if primary(numerator).suppressed or primary(denominator).suppressed or denominator == 0:
        return "Not shown"
    return f"{100 * numerator / denominator:.0f}%"

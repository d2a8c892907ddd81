"""`jsscheck init`: write a commented template history to start from."""

from __future__ import annotations

from typing import Annotated

import typer

TEMPLATE = """\
# jsscheck contract history: one row per Upwork contract. Lines starting with # are comments.
# Required columns: contract_id, client, start_date, earnings. Everything else may stay empty.
#   contract_id        Upwork's contract id (or any unique text)
#   client             the client's name or id (a score needs at least 2 distinct clients)
#   title              the job title, to recognise the contract in explanations
#   start_date         YYYY-MM-DD (also MM/DD/YYYY, Aug 21, 2026, ...; --dayfirst for DD/MM/YYYY)
#   end_date           empty while the contract is open
#   last_payment_date  the day of the last payment (places the contract in a window)
#   earnings           total earned in USD: 1234.50, $1,234.50 and USD 1234.50 all work
#   public_feedback    the client's stars, 1.0 to 5.0; empty = no feedback
#   private_feedback   the client's private 0-10 score, if you know it
#   feedback_date      when the feedback came; empty = the end date
#   disputed           true if the contract went to a dispute
#   client_flagged     true if Upwork flagged the client (their feedback can't hurt you)
#   excluded           true to leave the contract out entirely (e.g. feedback Upwork removed)
#   paid_periods       90-day periods after the first that had a payment (Weekly Summary)
# Check it with: jsscheck validate history.csv    Then: jsscheck score history.csv
contract_id,client,title,start_date,end_date,last_payment_date,earnings,public_feedback,private_feedback,feedback_date,disputed,client_flagged,excluded,paid_periods
1001,Acme Ltd,Landing page,2026-01-05,2026-02-10,2026-02-10,850.00,5.0,10,,,,,
1002,Globex,Monthly SEO retainer,2025-09-01,,2026-11-01,4200.00,,,,,,,
1003,Initech,Logo redesign,2026-10-01,2026-10-02,,0,,,,,,,
1004,Acme Ltd,Bug fixes,2026-06-01,2026-07-15,2026-07-15,320.00,,,,,,,
"""


def init(
    output: Annotated[
        str,
        typer.Option(
            "--output", "-o", metavar="FILE", help="Where to write the template (- for stdout)."
        ),
    ] = "history.csv",
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    from jsscheck.cli.environment import current
    from jsscheck.errors import OutputError
    from jsscheck.files import write_atomic

    if output == "-":
        current().stdout.write(TEMPLATE)
        return
    from pathlib import Path

    path = Path(output)
    if path.exists() and not force:
        raise OutputError(
            f"{path}: already exists", hint="choose another name with -o, or add --force"
        )
    write_atomic(path, TEMPLATE.encode("utf-8"))
    current().stderr.write(f"wrote {path}: fill it in, then run `jsscheck validate {path}`\n")


HELP = """Write a commented template history (CSV) to fill in.

Examples:

  jsscheck init

  jsscheck init -o my-history.csv --force
"""


def register(app: typer.Typer) -> None:
    app.command("init", help=HELP)(init)

"""Regenerate the bad-input corpus: `python tests/data/bad/make_corpus.py`.

The files are committed; this script documents how the binary and oddly encoded ones were made
(an editor would silently "fix" them). EXPECTED.json says what each must give. The two huge
inputs (100,000 columns, a 10 MB single line) are generated at test time, not committed.
"""

from __future__ import annotations

import json
import struct
import zlib
from pathlib import Path

HERE = Path(__file__).resolve().parent
HEADER = "contract_id,client,title,start_date,end_date,earnings,public_feedback,private_feedback"
GOOD = [
    "1001,Acme Ltd,Landing page,2026-01-05,2026-02-10,850.00,5.0,10",
    "1002,Globex,SEO retainer,2025-09-01,,4200.00,,",
    "1003,Initech,Logo,2026-06-01,2026-07-15,320.00,4.5,9",
]


def csv_text(*rows: str, header: str = HEADER) -> str:
    return "\n".join([header, *rows]) + "\n"


def png_bytes() -> bytes:
    """A real 1×1 PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def contract(**fields: object) -> dict[str, object]:
    base: dict[str, object] = {
        "contract_id": "2001",
        "client": "Acme Ltd",
        "start_date": "2026-01-05",
        "end_date": "2026-02-10",
        "earnings": 850.0,
        "public_feedback": 5.0,
    }
    base.update(fields)
    return base


def corpus() -> dict[str, bytes | str]:
    files: dict[str, bytes | str] = {}
    # --- not a history at all ------------------------------------------------------------------
    files["empty.csv"] = b""
    files["whitespace_only.csv"] = "\n   \n\t\n\n"
    files["header_only.csv"] = csv_text()
    files["comments_only.csv"] = "# my history\n# to be filled in\n"
    files["binary_garbage.csv"] = bytes(range(256)) * 8
    files["png_renamed.csv"] = png_bytes()
    files["html_page.csv"] = "<!DOCTYPE html>\n<html><body>Sign in to Upwork</body></html>\n"
    files["utf16_no_bom.csv"] = csv_text(*GOOD).encode("utf-16-le")
    files["nul_bytes.csv"] = csv_text(GOOD[0], "1002,Glo\x00bex,SEO,2025-09-01,,4200.00,,").encode()
    # --- JSON ----------------------------------------------------------------------------------
    full = json.dumps([contract(), contract(contract_id="2002", client="Globex")], indent=1)
    files["truncated.json"] = full[: len(full) * 2 // 3]
    files["json_scalar.json"] = "42\n"
    files["json_array_of_numbers.json"] = "[1, 2, 3]\n"
    files["json_array_of_strings.json"] = '["2001,Acme Ltd,2026-01-05,850"]\n'
    files["json_object_without_contracts.json"] = json.dumps(
        {"freelancer": "Jane Doe", "items": [contract()]}, indent=1
    )
    files["json_contracts_not_array.json"] = json.dumps({"contracts": contract()}, indent=1)
    files["json_bad_element.json"] = json.dumps(
        {"contracts": [contract(), contract(contract_id="2002", public_feedback=7)]}, indent=1
    )
    files["json_earnings_object.json"] = json.dumps(
        [contract(earnings={"amount": 850, "currency": "USD"})], indent=1
    )
    files["json_missing_client.json"] = json.dumps(
        [contract(), {k: v for k, v in contract(contract_id="2002").items() if k != "client"}],
        indent=1,
    )
    files["jsonl_broken_line.jsonl"] = (
        json.dumps(contract())
        + "\n"
        + json.dumps(contract(contract_id="2002", client="Globex"))[:-9]
        + "\n"
        + json.dumps(contract(contract_id="2003", client="Initech"))
        + "\n"
    )
    files["jsonl_bad_value.jsonl"] = (
        json.dumps(contract())
        + "\n"
        + json.dumps(contract(contract_id="2002", client="Globex", start_date="2026-13-01"))
        + "\n"
    )
    files["upwork_item_without_id.json"] = json.dumps(
        {
            "pageItems": [
                {
                    "title": "Landing page",
                    "clientId": "c-acme",
                    "startedOn": "2025-11-03T00:00:00.000Z",
                    "endedOn": "2026-02-10T00:00:00.000Z",
                    "totalCharges": {"amount": 850.0, "currencyCode": "USD"},
                }
            ]
        },
        indent=1,
    )
    files["upwork_currency_eur.json"] = json.dumps(
        {
            "pageItems": [
                {
                    "id": "41234567",
                    "title": "Landing page",
                    "clientId": "c-acme",
                    "startedOn": "2025-11-03T00:00:00.000Z",
                    "endedOn": "2026-02-10T00:00:00.000Z",
                    "totalCharges": {"amount": 850.0, "currencyCode": "EUR"},
                }
            ]
        },
        indent=1,
    )
    # --- CSV structure -------------------------------------------------------------------------
    files["mixed_delimiters.csv"] = csv_text(
        GOOD[0], "1002;Globex;SEO retainer;2025-09-01;;4200.00;;", GOOD[2]
    )
    files["embedded_newline.csv"] = csv_text(
        '1001,Acme Ltd,"Landing page\nwith a second line\nand a third",2026-01-05,2026-02-10,'
        "850.00,5.0,10",
        "1002,Globex,SEO retainer,2025-09-01,,4200.00,,",
        "1003,Initech,Logo,2026-06-01,2026-07-15,320.00,4.5,11",
    )
    files["unclosed_quote.csv"] = csv_text(GOOD[0], '1002,Globex,"SEO retainer,2025-09-01,,4200,,')
    files["duplicate_columns.csv"] = csv_text(
        "1001,Acme Ltd,Acme Holdings,2026-01-05,850.00",
        header="contract_id,client,client,start_date,earnings",
    )
    files["duplicate_alias_columns.csv"] = csv_text(
        "1001,Acme Ltd,2026-01-05,850.00,900.00",
        header="contract_id,client,start_date,earnings,amount",
    )
    files["missing_required_column.csv"] = csv_text(
        "1001,Acme Ltd,2026-01-05", "1002,Globex,2025-09-01", header="contract_id,client,start_date"
    )
    files["empty_required_column.csv"] = csv_text(
        "1001,,2026-01-05,850.00",
        "1002,,2025-09-01,4200.00",
        header="contract_id,client,start_date,earnings",
    )
    files["empty_optional_column.csv"] = csv_text(
        "1001,Acme Ltd,2026-01-05,850.00,",
        "1002,Globex,2025-09-01,4200.00,",
        header="contract_id,client,start_date,earnings,public_feedback",
    )
    files["required_value_empty.csv"] = csv_text(GOOD[0], "1002,Globex,SEO retainer,,,4200.00,,")
    files["trailing_empty_lines.csv"] = csv_text(*GOOD) + "\n\n\n"
    files["crlf_line_endings.csv"] = csv_text(*GOOD).replace("\n", "\r\n")
    files["unknown_column.csv"] = csv_text(
        "1001,Acme Ltd,2026-01-05,850.00,blue",
        header="contract_id,client,start_date,earnings,favourite_colour",
    )
    files["too_many_problems.csv"] = csv_text(
        *(f"{3000 + i},Client {i},Job,2026-01-{1 + i:02d},,-{i + 1}.00,," for i in range(25))
    )
    files["long_value.csv"] = csv_text(
        GOOD[0], "1002,Globex,SEO retainer,2025-09-01,," + "9" * 5000 + "x,,"
    )
    # --- encodings -----------------------------------------------------------------------------
    files["cp1252_accents.csv"] = csv_text(
        "1001,Café Müller,Menu redesign,2026-01-05,2026-02-10,850.00,5.0,10",
        "1002,Société Générale,Dashboard,2025-09-01,,4200.00,,",
        "1003,Zoë Björk,Logo,2026-06-01,2026-07-15,320.00,4.5,9",
    ).encode("cp1252")
    files["bom_semicolons.csv"] = "\ufeff" + csv_text(*GOOD).replace(",", ";")
    files["excel_unicode_text.txt"] = (
        ("\ufeff" + csv_text(*GOOD).replace(",", "\t"))
        .encode("utf-16-le")
        .replace(b"\n\x00", b"\r\x00\n\x00")
    )
    # --- values --------------------------------------------------------------------------------
    files["dates_five_formats.csv"] = csv_text(
        "1001,Acme Ltd,A,2026-01-05,2026/02/10,850.00,5.0,10",
        '1002,Globex,B,02/03/2026,"Mar 21, 2026",400.00,5.0,',
        '1003,Initech,C,21 Aug 2025,"September 30, 2025",320.00,4.5,9',
        "1004,Hooli,D,2025-10-01T09:30:00.000Z,2025-10-20T00:00:00Z,150.00,5.0,",
        "1005,Umbrella,E,2031-01-01,,0,,",
    )
    files["impossible_date.csv"] = csv_text(GOOD[0], "1002,Globex,SEO,2026-02-30,,4200.00,,")
    files["unparseable_date.csv"] = csv_text(GOOD[0], "1002,Globex,SEO,last tuesday,,4200.00,,")
    files["dayfirst_dates.csv"] = csv_text(
        "1001,Acme Ltd,A,05/01/2026,10/02/2026,850.00,5.0,10",
        "1002,Globex,B,21/08/2025,30/09/2025,400.00,5.0,",
    )
    files["money_formats.csv"] = csv_text(
        '1001,Acme Ltd,A,2026-01-05,2026-02-10,"$1,234.50",5.0,10',
        "1002,Globex,B,2025-09-01,,USD 4200.00,,",
        '1003,Initech,C,2026-06-01,2026-07-15,"1,320.00",4.5,9',
        "1004,Hooli,D,2026-06-01,2026-07-15,$75,5.0,",
    )
    files["decimal_comma.csv"] = csv_text(GOOD[0], '1002,Globex,SEO,2025-09-01,,"4200,50",,')
    files["negative_earnings.csv"] = csv_text(GOOD[0], "1002,Globex,SEO,2025-09-01,,-4200.00,,")
    files["parenthesised_negative.csv"] = csv_text(GOOD[0], "1002,Globex,SEO,2025-09-01,,(12.00),,")
    files["foreign_currency.csv"] = csv_text(GOOD[0], "1002,Globex,SEO,2025-09-01,,€4200.00,,")
    files["stars_zero.csv"] = csv_text(GOOD[0], "1002,Globex,SEO,2025-09-01,2025-12-01,4200.00,0,")
    files["stars_six.csv"] = csv_text(GOOD[0], "1002,Globex,SEO,2025-09-01,2025-12-01,4200.00,6,")
    files["private_10_5.csv"] = csv_text(
        GOOD[0], "1002,Globex,SEO,2025-09-01,2025-12-01,4200.00,5,10.5"
    )
    files["private_eleven.csv"] = csv_text(
        GOOD[0], "1002,Globex,SEO,2025-09-01,2025-12-01,4200.00,5,11"
    )
    files["end_before_start.csv"] = csv_text(
        GOOD[0], "1002,Globex,SEO,2025-09-01,2025-08-01,4200.00,,"
    )
    files["feedback_before_start.csv"] = csv_text(
        "1001,Acme Ltd,2026-01-05,2026-02-10,850.00,5.0,2025-12-31",
        header="contract_id,client,start_date,end_date,earnings,public_feedback,feedback_date",
    )
    files["negative_paid_periods.csv"] = csv_text(
        "1001,Acme Ltd,2026-01-05,2026-02-10,850.00,-1",
        header="contract_id,client,start_date,end_date,earnings,paid_periods",
    )
    files["bad_boolean.csv"] = csv_text(
        "1001,Acme Ltd,2026-01-05,2026-02-10,850.00,maybe",
        header="contract_id,client,start_date,end_date,earnings,disputed",
    )
    files["duplicate_ids_different.csv"] = csv_text(
        *GOOD, "1002,Globex,SEO retainer,2025-09-01,,4300.00,,"
    )
    files["duplicate_ids_identical.csv"] = csv_text(*GOOD, GOOD[1])
    files["secret_in_other_column.csv"] = csv_text(
        GOOD[0], "1002,Zanzibar Secret Holdings,Covert SEO retainer,2025-09-01,,12..5,,"
    )
    files["huge_amount.csv"] = csv_text(GOOD[0], "1002,Globex,SEO,2025-09-01,," + "9" * 400 + ",,")
    files["two_digit_year.csv"] = csv_text(GOOD[0], "1002,Globex,SEO,9/1/25,,4200.00,,")
    files["formula_cell.csv"] = csv_text(
        GOOD[0], '1002,"=HYPERLINK(""http://x.example"")",SEO,2025-09-01,,4200.00,,'
    )
    # --- what spreadsheets and editors make of a CSV -------------------------------------------
    files["european_excel.csv"] = (
        "\ufeffcontract_id;client;start_date;end_date;earnings;public_feedback\n"
        "1001;Café Müller;05.01.2026;10.02.2026;1.234,50;5,0\n"
    )
    files["excel_sep_line.csv"] = "sep=,\n" + csv_text(*GOOD)
    files["title_line.csv"] = "My Upwork contracts 2026\n" + csv_text(*GOOD)
    files["whole_row_quoted.csv"] = csv_text(
        GOOD[0], '"1002,Globex,SEO retainer,2025-09-01,,4200.00,,"'
    )
    files["trailing_delimiter.csv"] = csv_text(*(row + "," for row in GOOD), header=HEADER + ",")
    files["header_spaces_aliases.csv"] = (
        " Contract ID , Client Name ,Started, Total Earnings ,Stars\n"
        ' 1001 , Acme Ltd ,"2026-01-05"," 850.00 ",5\n'
    )
    files["cr_line_endings.csv"] = csv_text(*GOOD).replace("\n", "\r")
    files["bom.json"] = "\ufeff" + json.dumps([contract()])
    files["jsonl_trailing_comma.jsonl"] = (
        json.dumps(contract()) + "\n\n" + json.dumps(contract(contract_id="2002")) + ",\n"
    )
    files["json_empty_array.json"] = "[]\n"
    files["json_empty_contracts.json"] = '{"schema": "jsscheck.history/1", "contracts": []}\n'
    # --- Upwork exports that cannot stand alone ------------------------------------------------
    files["transactions_legacy.csv"] = (
        "Date,Ref ID,Type,Description,Agency,Freelancer,Team,Account Name,PO,Amount,"
        "ExchangeRate,Currency,Balance\n"
        '"Mar 2, 2026",987654321,Fixed Price,"Invoice for SEO retainer",,Jane Doe,Globex,'
        "Jane Doe,,600.00,,USD,1200.00\n"
    )
    files["transactions_report.csv"] = (
        "Date,Transaction ID,Transaction type,Transaction summary,Description 1,Ref ID,"
        "Client team,Amount $,Payment method\n"
        "2026-03-02,987654321,Fixed-price,Invoice for SEO retainer,,123,Globex,600.00,\n"
    )
    files["weekly_summary_alone.csv"] = (
        '"Date","Contract","Hours","Amount","Payment type"\n'
        '"2026-03-02","SEO retainer, monthly (41234568)","","600.00","Fixed Price Payment"\n'
        '"2026-04-06","SEO retainer, monthly (41234568)","","600.00","Fixed Price Payment"\n'
    )
    # --- issue 20: no silent data loss, no internal error on bad input -------------------------
    files["stray_quote_swallows_rows.csv"] = csv_text(
        '1001,Acme Ltd,"Logo,2026-01-05,2026-02-01,500,5,',
        "1002,Globex,SEO retainer,2025-09-01,,4200.00,,",
        '1003,Initech,"Logo",2026-06-01,2026-07-15,320.00,4.5,9',
        "1004,Hooli,Banner,2026-03-01,2026-03-20,150.00,5.0,",
    )
    files["stray_quote_swallows_one_row.csv"] = csv_text(
        '1001,Acme Ltd,"Logo,2026-01-05,2026-02-01,500,5,',
        '1002,Globex,"SEO retainer",2025-09-01,,4200.00,,',
        GOOD[2],
    )
    files["short_rows.csv"] = csv_text(
        GOOD[0], "1002,Globex,SEO retainer,2025-09-01,,4200.00", GOOD[2]
    )
    files["feedback_double_sign.csv"] = csv_text(
        "1001,Acme Ltd,Logo,2026-01-05,2026-02-10,850.00,--5,",
        "1002,Globex,SEO,2025-09-01,2025-12-01,4200.00,+-5,",
        "1003,Initech,Logo,2026-06-01,2026-07-15,320.00,4.5,++9",
    )
    files["paid_periods_huge.csv"] = csv_text(
        "1001,Acme Ltd,2026-01-05,2026-02-10,850.00,1e20",
        "1002,Globex,2025-09-01,,4200.00,123456789012345678901",
        header="contract_id,client,start_date,end_date,earnings,paid_periods",
    )
    files["json_huge_integers.json"] = (
        json.dumps(
            [
                contract(paid_periods="@PERIODS@"),
                contract(contract_id="2002", earnings="@400@"),
                contract(contract_id="2003", earnings="@5000@"),
            ]
        )
        .replace('"@PERIODS@"', "1" + "0" * 20)
        .replace('"@400@"', "9" * 400)
        .replace('"@5000@"', "9" * 5000)
        + "\n"
    )
    files["json_nested_deep.json"] = "[" * 100_000 + "\n"
    files["earnings_sum_overflows.csv"] = csv_text(
        "1001,Acme Ltd,2026-01-05,2026-02-10,1" + "0" * 308,
        "1002,Globex,2025-09-01,2025-12-01,1" + "0" * 308,
        header="contract_id,client,start_date,end_date,earnings",
    )
    # A work-history JSON writes control characters as \u001b escapes: they reach the values.
    files["escape_in_values.json"] = json.dumps(
        [
            {
                **contract(title="\x1b]0;pwned\x07Logo", earnings="850\x1b[31m"),
                "\x1b[2Jnotes": "x",
            }
        ]
    )
    files["identical_rows_many.csv"] = csv_text(*GOOD, *([GOOD[1]] * 60))
    files["long_header_name.csv"] = csv_text(
        "1001,Acme Ltd,2026-01-05,850.00,x",
        header="contract_id,client,start_date,earnings," + "very long column name " * 5000,
    )
    return files


def main() -> None:
    for name, content in corpus().items():
        data = content.encode("utf-8") if isinstance(content, str) else content
        (HERE / name).write_bytes(data)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Writes the CSV fixtures for MixDataTests (good/ and bad/). Deterministic: rerun to regenerate.

Every file is a small variation of one weekly dataset with columns
date,tv_spend,search_spend,price,sales (60 weeks from 2023-01-02); the header is row 1, so the
i-th data row (0-based) is spreadsheet row i + 2. Each bad file has exactly one defect, at the
row/column the tests expect.
"""
import datetime
import os
import random

HERE = os.path.dirname(os.path.abspath(__file__))
HEADER = ["date", "tv_spend", "search_spend", "price", "sales"]


def base(n=60, step=7, start=datetime.date(2023, 1, 2)):
    rng = random.Random(42)
    rows = []
    for i in range(n):
        d = start + datetime.timedelta(days=step * i)
        tv = round(rng.uniform(1000, 5000), 2) if i % 4 != 3 else 0
        search = round(rng.uniform(500, 1500), 2)
        price = round(9.99 + rng.uniform(-0.5, 0.5), 2)
        sales = round(20000 + 1.5 * tv + 3 * search + rng.gauss(0, 500), 2)
        rows.append([d.isoformat(), repr(tv), repr(search), repr(price), repr(sales)])
    return rows


def write(name, rows, header=HEADER, newline="\n", prefix=b""):
    text = newline.join(",".join(r) for r in [header] + rows) + newline
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(prefix + text.encode("utf-8"))


def main():
    # ---- good ----
    write("good/weekly.csv", base())
    write("good/daily.csv", base(step=1))
    mdy = base()
    for r in mdy:
        y, m, d = r[0].split("-")
        r[0] = f"{int(m)}/{int(d)}/{y}"
    write("good/mdy.csv", mdy)
    # BOM, CRLF, quoted names with a comma, an embedded newline and doubled quotes in a text column.
    quoted = base()
    for i, r in enumerate(quoted):
        r.append('"note ""%d"",\r\nsecond line"' % i if i % 10 == 0 else "plain")
    write("good/bom_crlf_quoted.csv", quoted,
          header=["date", '"tv_spend"', '"search, spend"', "price", "sales", "notes"],
          newline="\r\n", prefix=b"\xef\xbb\xbf")
    # Warnings.
    rare = base()
    for i, r in enumerate(rare):
        r[1] = "2500.0" if i in (10, 40) else "0"
    write("good/rare_channel.csv", rare)
    scale = base()
    for r in scale:
        r[4] = repr(round(float(r[4]) / 1e7, 6))  # sales in tens of millions → ~0.002
    write("good/scale.csv", scale)
    collinear = base()
    for i, r in enumerate(collinear):
        r.append(repr(round(2 * float(r[3]) + 3, 4)))  # price2 = 2·price + 3
        r.append("1")                                   # constant control
    write("good/collinear.csv", collinear, header=HEADER + ["price2", "store_count"])

    # ---- bad ----
    write("bad/empty.csv", [])
    with open(os.path.join(HERE, "bad/empty.csv"), "wb") as f:
        f.write(b"")
    write("bad/no_header.csv", base()[1:], header=base()[0])
    write("bad/duplicate_header.csv", [r + [r[1]] for r in base()], header=HEADER + ["tv_spend"])
    write("bad/misspelt_column.csv", base(), header=["date", "tv_spnd", "search_spend", "price", "sales"])
    semicolon = "\n".join(";".join(r) for r in [HEADER] + base()) + "\n"
    open(os.path.join(HERE, "bad/semicolon.csv"), "w").write(semicolon)

    def one_cell(name, index, column, value):
        rows = base()
        rows[index][HEADER.index(column)] = value
        write(name, rows)

    one_cell("bad/thousands.csv", 5, "tv_spend", '"1,234.56"')     # row 7
    one_cell("bad/decimal_comma.csv", 6, "price", '"9,99"')         # row 8
    one_cell("bad/cell_semicolon.csv", 8, "sales", "21000;5")       # row 10
    one_cell("bad/not_a_number.csv", 3, "search_spend", "n/a")      # row 5
    one_cell("bad/empty_spend.csv", 7, "tv_spend", "")              # row 9
    one_cell("bad/empty_target.csv", 11, "sales", "")               # row 13
    one_cell("bad/nan.csv", 12, "search_spend", "NaN")              # row 14
    one_cell("bad/inf.csv", 13, "sales", "inf")                     # row 15
    one_cell("bad/negative_spend.csv", 20, "search_spend", "-50")   # row 22
    one_cell("bad/bad_date.csv", 4, "date", "2023-02-30")           # row 6
    one_cell("bad/mdy_date.csv", 0, "date", "1/2/2023")             # row 2

    rows = base(); rows[15][0] = rows[14][0]
    write("bad/duplicate_date.csv", rows)                           # row 17 repeats row 16
    rows = base(); rows[30], rows[31] = rows[31], rows[30]
    write("bad/out_of_order.csv", rows)                             # row 33 is before row 32
    rows = base(); del rows[25:27]
    write("bad/gap.csv", rows)                                      # row 27 follows a 2-week gap
    rows = base(); rows[40][0] = (datetime.date.fromisoformat(rows[40][0]) + datetime.timedelta(days=2)).isoformat()
    write("bad/irregular.csv", rows)                                # row 42 is 9 days on
    write("bad/monthly.csv", base(step=30))
    rows = base()
    for r in rows:
        r[2] = "0"
    write("bad/zero_channel.csv", rows)
    rows = base()
    for r in rows:
        r[4] = "1000"
    write("bad/constant_target.csv", rows)
    write("bad/too_few_rows.csv", base(n=20))
    rows = base(); rows[16] = rows[16][:4]
    write("bad/wrong_field_count.csv", rows)                        # row 18
    rows = base(); rows[9][3] = '"9.99'                              # quote opened at row 11, never closed
    write("bad/unterminated_quote.csv", rows)
    rows = base(); rows[2][3] = '"9.99"x'
    write("bad/text_after_quote.csv", rows)                         # row 4

    # Invalid UTF-8 (a lone Latin-1 é, 0xE9) in row 8, column sales.
    rows = base()
    text = ("\n".join(",".join(r) for r in [HEADER] + rows) + "\n").encode()
    lines = text.split(b"\n")
    cells = lines[7].split(b",")
    cells[4] = cells[4] + b"\xe9"
    lines[7] = b",".join(cells)
    open(os.path.join(HERE, "bad/latin1.csv"), "wb").write(b"\n".join(lines))
    # Binary garbage: a valid header then NUL-laden bytes (like a zip or xlsx renamed .csv).
    garbage = bytes(random.Random(7).randrange(256) for _ in range(3000)).replace(b"\n", b"\x00").replace(b"\r", b"\x00").replace(b"\"", b"\x00")
    open(os.path.join(HERE, "bad/binary.csv"), "wb").write(",".join(HEADER).encode() + b"\n" + garbage)
    # UTF-16 with its byte-order mark.
    open(os.path.join(HERE, "bad/utf16.csv"), "wb").write(
        ("\n".join(",".join(r) for r in [HEADER] + base()) + "\n").encode("utf-16"))


if __name__ == "__main__":
    main()

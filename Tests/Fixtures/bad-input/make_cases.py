#!/usr/bin/env python3
"""Writes the bad-input catalogue: one folder per case, each with its inputs and a `case.txt`.

Deterministic: rerun to regenerate (it rewrites every case folder it knows and nothing else).
`BadInputCatalogueTests` (Tests/MixPlanCLITests) copies each folder to a temporary directory,
runs the built `mixplan` there with the arguments of `case.txt`, and checks the exit code, that
every `expect:` phrase is in the error paragraph, and that no file was left behind.

case.txt keys (one per line, `key: value`):
  about:    one line saying what the case is.
  args:     the command line after `mixplan`, split on spaces; `{model}` is the committed
            model folder `model-2ch/` (fitted on samples/weekly-2ch, channels x1 and x2).
  exit:     the expected exit code (2 for bad input).
  expect:   a phrase the error must contain (repeatable) — file, row, column, key, what.
  stdout:   for a case that must be accepted (exit 0), a phrase stdout must contain.
  generate: a file the test writes before running (too big to commit), e.g. `data.csv=huge-line`.

Most CSV cases share one small weekly dataset (60 weeks from 2023-01-02, columns
date,tv,search,price,sales); the header is row 1, so data row i (0-based) is row i + 2.
"""
import datetime
import os
import random
import shutil

HERE = os.path.dirname(os.path.abspath(__file__))
HEADER = ["date", "tv", "search", "price", "sales"]

CONFIG = """data:
  file: data.csv
  date_column: date
  target: sales
  channels: [tv, search]
  controls: [price]
model:
  yearly_seasonality: 1
sampler:
  chains: 1
  warmup: 10
  draws: 10
"""


def base(n=60):
    rng = random.Random(7)
    rows = []
    for i in range(n):
        d = datetime.date(2023, 1, 2) + datetime.timedelta(days=7 * i)
        tv = round(rng.uniform(1000, 5000), 2)
        search = round(rng.uniform(500, 1500), 2)
        price = round(9.99 + rng.uniform(-0.5, 0.5), 2)
        sales = round(20000 + 1.5 * tv + 3 * search + rng.gauss(0, 500), 2)
        rows.append([d.isoformat(), repr(tv), repr(search), repr(price), repr(sales)])
    return rows


def european(row):
    """The row as a European Excel writes it: dd/mm/yyyy, "." thousands, decimal comma."""
    y, m, d = row[0].split("-")

    def number(v):
        sign, v = ("-", v[1:]) if v.startswith("-") else ("", v)
        whole, _, fraction = v.partition(".")
        groups = []
        while len(whole) > 3:
            groups.insert(0, whole[-3:])
            whole = whole[:-3]
        return sign + ".".join([whole] + groups) + ("," + fraction if fraction else "")
    return [f"{d}/{m}/{y}"] + [number(v) for v in row[1:]]


def csv_text(rows, header=HEADER, sep=",", newline="\n"):
    return newline.join(sep.join(r) for r in [header] + rows) + newline


CASES = []


def case(name, about, args, expect, files, exit_code=2, stdout=None, generate=None):
    CASES.append((name, about, args, expect, files, exit_code, stdout, generate))


def csv_case(name, about, data, expect, command="check --config mixplan.yaml", config=CONFIG, **kw):
    files = {"mixplan.yaml": config}
    if data is not None:
        files["data.csv"] = data
    case(name, about, command, expect, files, **kw)


def with_cell(row, column, value):
    rows = base()
    rows[row][HEADER.index(column)] = value
    return csv_text(rows)


FIT = "fit --config mixplan.yaml --out out"


def csv_cases():
    rows = base()
    full = csv_text(rows)
    # Truncated mid-row: the last line stops after two fields.
    csv_case("csv-truncated-row", "a download cut off in the middle of the last row",
             full[: full.rindex("\n", 0, len(full) - 1) + 1] + rows[-1][0] + "," + rows[-1][1][:3],
             ["data.csv", "row 61", "this row has 2 fields but the header has 5"], command=FIT)
    # Truncated inside a quoted cell: the quote never closes.
    quoted = csv_text(rows[:40]) + '2023-10-09,"1234'
    csv_case("csv-truncated-quote", "a file cut off inside a quoted cell",
             quoted, ["data.csv", "row 42", "column \"tv\"", "never closed"])
    rng = random.Random(99)
    garbage = bytes(rng.randrange(256) for _ in range(4096))
    csv_case("csv-binary-garbage", "random bytes instead of text (e.g. an .xlsx renamed to .csv)",
             garbage, ["data.csv", "row 1", "not look like UTF-8"], command=FIT)
    csv_case("csv-huge-single-line", "a 10 MB file with no line breaks after the header",
             None, ["data.csv", "row 2", "longer than 1048576 bytes"], generate="data.csv=huge-line")
    # Spreadsheet dialects are detected (issue 23): these must be accepted and read as the plain file.
    csv_case("csv-semicolon-delimiter", "a file separated by semicolons — detected and accepted",
             csv_text(rows, sep=";"), [], exit_code=0, stdout="60 weekly periods")
    csv_case("csv-excel-thousands", "Excel's quoted \"1,234.56\" in a decimal-point file — read as 1234.56",
             with_cell(4, "tv", '"1,234.56"'), [], exit_code=0, stdout="60 weekly periods")
    csv_case("csv-european-export-accepted",
             "a European Excel export: \";\", decimal commas, \".\" thousands, dd/mm/yyyy, BOM, CRLF — accepted",
             b"\xef\xbb\xbf" + csv_text([european(r) for r in rows], sep=";", newline="\r\n").encode(), [],
             exit_code=0, stdout="60 weekly periods")
    csv_case("csv-midnight-datetimes-trailing-rows-accepted",
             "dates written as 2023-01-02 00:00:00 and empty rows (,,,,) below the data — accepted",
             csv_text([[r[0] + " 00:00:00"] + r[1:] for r in rows]) + ",,,,\n,,,,\n\n", [],
             exit_code=0, stdout="60 weekly periods")
    # …but only when the file is consistent, or says which way to read it.
    csv_case("csv-decimal-comma", "one decimal comma (1234,56) in a file whose numbers use decimal points",
             with_cell(9, "sales", '"21034,5"'), ["data.csv", "row 11", "column \"sales\"", "decimal comma"])
    csv_case("csv-semicolons-but-comma-configured", "a semicolon-separated file whose config says data.delimiter: comma",
             csv_text(rows, sep=";"), ["data.csv", "row 1", "semicolon-separated", "data.delimiter"],
             config=CONFIG.replace("  file: data.csv\n", "  file: data.csv\n  delimiter: comma\n"))
    ambiguous = [[f"{(i % 12) + 1}/{(i // 12) + 1}/2023"] + r[1:] for i, r in enumerate(rows)]
    csv_case("csv-ambiguous-day-month", "D/M or M/D dates where no day is above 12 (1/1/2023 … 12/5/2023)",
             csv_text(ambiguous), ["data.csv", "row 2", "column \"date\"", "key \"data.date_format\"", "d/m/yyyy", "m/d/yyyy"])
    thousands_only = [[r[0]] + [f"{int(float(v)) // 1000}.{int(float(v)) % 1000:03d}" if float(v) >= 1000 else str(int(float(v)))
                                for v in r[1:3]] + ["10", r[4].split(".")[0]] for r in rows]
    csv_case("csv-ambiguous-thousands", "\"3.557\" in a semicolon file with no decimal anywhere: 3557 or 3.557?",
             csv_text(thousands_only, sep=";"), ["data.csv", "row 2", "column \"tv\"", "key \"data.decimal\"", "data.thousands"])
    mixed = [list(r) for r in rows]
    y, m, d = mixed[20][0].split("-")
    mixed[20][0] = f"{int(m)}/{int(d)}/{y}"
    csv_case("csv-two-date-formats", "ISO dates with one row in M/D/YYYY",
             csv_text(mixed), ["data.csv", "row 22", "column \"date\"", "is not a valid date", "M/D/YYYY"])
    dup = [list(r) for r in rows]
    dup.insert(31, list(dup[30]))
    csv_case("csv-duplicated-date", "the same week exported twice",
             csv_text(dup), ["data.csv", "row 33", "column \"date\"", "appears again (first at row 32)"], command=FIT)
    gap = [r for i, r in enumerate(rows) if i not in (25, 26)]
    csv_case("csv-gap", "two missing weeks",
             csv_text(gap), ["data.csv", "row 27", "column \"date\"", "2 weeks missing"])
    unordered = [list(r) for r in rows]
    unordered[10], unordered[11] = unordered[11], unordered[10]
    csv_case("csv-out-of-order", "two weeks swapped",
             csv_text(unordered), ["data.csv", "row 13", "out of order"])
    csv_case("csv-empty-file", "a zero-byte file", "", ["data.csv", "the file is empty", "header"], command=FIT)
    csv_case("csv-header-only", "a header and no data rows",
             csv_text([]), ["data.csv", "0 data rows", "needs at least"])
    csv_case("csv-bom-crlf-accepted", "UTF-8 byte-order mark and CRLF line ends, as Excel writes them — must be accepted",
             b"\xef\xbb\xbf" + csv_text(rows, newline="\r\n").encode(), [], exit_code=0,
             stdout="60 weekly periods")
    csv_case("csv-nan", "NaN in the target", with_cell(14, "sales", "NaN"),
             ["data.csv", "row 16", "column \"sales\"", "\"NaN\" is not a finite number"], command=FIT)
    csv_case("csv-inf", "inf in a control", with_cell(3, "price", "inf"),
             ["data.csv", "row 5", "column \"price\"", "not a finite number"])
    csv_case("csv-negative-spend", "a refund booked as negative spend", with_cell(7, "search", "-120.5"),
             ["data.csv", "row 9", "column \"search\"", "spend is negative"], command=FIT)
    csv_case("csv-empty-cell", "an empty spend cell", with_cell(12, "tv", ""),
             ["data.csv", "row 14", "column \"tv\"", "empty", "Write 0"])
    csv_case("csv-text-in-number", "a spreadsheet error value in a spend cell", with_cell(5, "tv", "#REF!"),
             ["data.csv", "row 7", "column \"tv\"", "is not a number"])
    csv_case("csv-missing-column", "the config names a channel the file does not have (misspelt)",
             csv_text([[r[0], r[1], r[2], r[3], r[4]] for r in rows], header=["date", "tv", "serch", "price", "sales"]),
             ["data.csv", "row 1", "column \"search\"", "not in the header", "Did you mean \"serch\"?"], command=FIT)
    csv_case("csv-duplicated-column", "two columns named tv",
             csv_text([r + [r[1]] for r in rows], header=HEADER + ["tv"]),
             ["data.csv", "row 1", "column \"tv\"", "appears twice (columns 2 and 6)"])
    extra = [list(r) for r in rows]
    extra[17].append("0")
    csv_case("csv-wrong-field-count", "a stray comma adds a field to one row", csv_text(extra),
             ["data.csv", "row 19", "6 fields but the header has 5"])
    csv_case("csv-utf16", "a file saved as UTF-16 (\"Unicode text\" in Excel)",
             b"\xff\xfe" + csv_text(rows).encode("utf-16-le"), ["data.csv", "UTF-16", "iconv"])
    csv_case("csv-latin1", "a Latin-1 byte (é saved by a non-UTF-8 editor) in a cell",
             csv_text(rows).encode().replace(b"2023-02-06,", b"2023-02-06\xe9,"),
             ["data.csv", "row 7", "column \"date\"", "0xE9", "UTF-8"])
    csv_case("csv-too-few-rows", "ten weeks of data for a model that needs more",
             csv_text(rows[:10]), ["data.csv", "10 periods", "too few", "needs at least"], command=FIT)
    csv_case("csv-monthly", "monthly data (not daily or weekly)",
             csv_text([[datetime.date(2020 + i // 12, i % 12 + 1, 1).isoformat()] + r[1:] for i, r in enumerate(rows)]),
             ["data.csv", "column \"date\"", "days apart", "daily (1 day) or weekly"])
    csv_case("csv-missing-data-file", "the config names a data file that does not exist",
             None, ["sales-2024.csv", "does not exist"], config=CONFIG.replace("data.csv", "sales-2024.csv"), command=FIT)
    csv_case("csv-constant-target", "the target is the same number every week",
             csv_text([r[:4] + ["1000"] for r in rows]), ["data.csv", "column \"sales\"", "constant"])


EXPOSURE_CONFIG = CONFIG.replace("channels: [tv, search]", """channels:
    - {name: tv, exposure_column: tv_grp, spend_column: tv_spend, unit: GRP}
    - search""")


def exposure_rows():
    """base() with tv bought in GRPs: tv_grp = spend / 25 (one decimal), tv_spend the spend."""
    return [[r[0], repr(round(float(r[1]) / 25, 1)), r[1]] + r[2:] for r in base()]


EXPOSURE_HEADER = ["date", "tv_grp", "tv_spend", "search", "price", "sales"]


def exposure_cases():
    """Issue 20 item 8: channels measured in exposures with a spend column."""
    rows = exposure_rows()
    rows[9][1] = "0"
    csv_case("csv-exposure-spend-without-exposures", "money spent in a week with no GRPs",
             csv_text(rows, header=EXPOSURE_HEADER),
             ["data.csv", "row 11", "column \"tv_spend\"", "where tv_grp has no exposures"], command=FIT, config=EXPOSURE_CONFIG)
    rows = exposure_rows()
    rows[4][1] = "-4.0"
    csv_case("csv-exposure-negative", "negative GRPs", csv_text(rows, header=EXPOSURE_HEADER),
             ["data.csv", "row 6", "column \"tv_grp\"", "exposures are negative"], command=FIT, config=EXPOSURE_CONFIG)
    csv_case("csv-exposure-spend-column-missing", "the spend column of an exposure channel is misspelt",
             csv_text(exposure_rows(), header=EXPOSURE_HEADER),
             ["data.csv", "row 1", "column \"tv_cost\"", "data.channels.tv.spend_column", "not in the header"],
             command=FIT, config=EXPOSURE_CONFIG.replace("spend_column: tv_spend", "spend_column: tv_cost"))
    csv_case("yaml-exposure-without-money", "an exposure channel with neither spend_column nor cost_per_unit",
             csv_text(exposure_rows(), header=EXPOSURE_HEADER),
             ["mixplan.yaml", "data.channels.tv", "spend_column or cost_per_unit"],
             command=FIT, config=EXPOSURE_CONFIG.replace(", spend_column: tv_spend", ""))
    # A geo panel (two geos, the same weeks) with tv in GRPs: the panel loader reads money only.
    geo_rows = [[r[0], g] + r[1:] for g in ("north", "south") for r in exposure_rows()]
    csv_case("yaml-geo-exposure-channel", "a geo panel config with a channel measured in exposures",
             csv_text(geo_rows, header=["date", "geo"] + EXPOSURE_HEADER[1:]),
             ["mixplan.yaml", "data.channels.tv", "measured in exposures", "geo panels need spend columns"],
             command=FIT, config=EXPOSURE_CONFIG.replace("  date_column: date\n", "  date_column: date\n  geo_column: geo\n"))


def yaml_cases():
    data = csv_text(base())

    def yc(name, about, config, expect, command="check --config mixplan.yaml"):
        case(name, about, command, expect, {"mixplan.yaml": config, "data.csv": data})

    yc("yaml-syntax-error", "an unclosed list in the config",
       CONFIG.replace("channels: [tv, search]", "channels: [tv, search"), ["mixplan.yaml", "not valid YAML", "line"])
    yc("yaml-bad-indentation", "a key indented inconsistently",
       CONFIG.replace("  target: sales", "   target: sales"), ["mixplan.yaml", "not valid YAML", "line 4"])
    yc("yaml-unknown-key", "a misspelt key", CONFIG.replace("  draws: 10", "  drawz: 10"),
       ["mixplan.yaml", "key \"sampler.drawz\"", "line 12", "not a known key", "Did you mean \"draws\"?"])
    yc("yaml-unknown-section", "a misspelt top-level section", CONFIG.replace("sampler:", "sampeler:"),
       ["mixplan.yaml", "key \"sampeler\"", "not a known key", "Did you mean \"sampler\"?"])
    yc("yaml-wrong-type", "text where a whole number is expected", CONFIG.replace("chains: 1", "chains: four"),
       ["mixplan.yaml", "key \"sampler.chains\"", "expected a whole number", "\"four\""], command=FIT)
    yc("yaml-list-expected", "a single name where a list of channels is expected",
       CONFIG.replace("channels: [tv, search]", "channels: tv"), ["mixplan.yaml", "key \"data.channels\"", "expected a list"])
    yc("yaml-unknown-prior-family", "a misspelt prior family",
       CONFIG.replace("model:\n", "model:\n  priors:\n    adstock_alpha: Betta(1, 3)\n"),
       ["mixplan.yaml", "key \"model.priors.adstock_alpha\"", "unknown distribution \"Betta\"", "Did you mean \"Beta\"?"])
    yc("yaml-invalid-prior-params", "a negative scale in a prior",
       CONFIG.replace("model:\n", "model:\n  priors:\n    sigma: HalfNormal(-2)\n"),
       ["mixplan.yaml", "key \"model.priors.sigma\"", "HalfNormal(-2)"])
    yc("yaml-roi-prior-and-beta-prior", "a channel with both an ROI prior and a prior on its effect size",
       CONFIG.replace("model:\n", "model:\n  channels:\n    tv:\n      roi_prior: LogNormal(0.5, 0.3)\n"
                                   "      priors:\n        saturation_beta: HalfNormal(2)\n"),
       ["mixplan.yaml", "key \"model.channels.tv.roi_prior\"", "saturation_beta"], command=FIT)
    yc("yaml-roi-prior-not-positive", "an ROI prior that allows a negative return",
       CONFIG.replace("model:\n", "model:\n  channels:\n    tv:\n      roi_prior: Normal(1, 1)\n"),
       ["mixplan.yaml", "key \"model.channels.tv.roi_prior\"", "(0, ∞)"], command=FIT)
    yc("yaml-unknown-prior-parameter", "a prior for a parameter the model does not have",
       CONFIG.replace("model:\n", "model:\n  priors:\n    adstock_alpah: Beta(1, 3)\n"),
       ["mixplan.yaml", "key \"model.priors.adstock_alpah\"", "Did you mean \"adstock_alpha\"?"])
    yc("yaml-negative-draws", "a negative number where a positive count is expected",
       CONFIG.replace("draws: 10", "draws: -10"), ["mixplan.yaml", "key \"sampler.draws\"", "line 12", "from 1 to 100000", "-10"], command=FIT)
    yc("yaml-negative-budget", "a negative optimizer budget",
       CONFIG + "optimizer:\n  budget: -5000\n", ["mixplan.yaml", "key \"optimizer.budget\"", "> 0", "-5000"])
    yc("yaml-target-accept-range", "target_accept outside (0, 1)",
       CONFIG.replace("  draws: 10\n", "  draws: 10\n  target_accept: 1.5\n"),
       ["mixplan.yaml", "key \"sampler.target_accept\"", "strictly between 0 and 1"])
    yc("yaml-bad-objective", "an objective the optimiser does not know",
       CONFIG + "optimizer:\n  objective: maximum\n", ["mixplan.yaml", "key \"optimizer.objective\"", "\"maximum\"", "cvar:Q"])
    yc("yaml-unknown-adstock", "a misspelt adstock kind",
       CONFIG.replace("model:\n", "model:\n  adstock: geometrik\n"),
       ["mixplan.yaml", "key \"model.adstock\"", "geometric", "Did you mean \"geometric\"?"])
    yc("yaml-override-unknown-channel", "per-channel settings for a channel not in data.channels",
       CONFIG.replace("model:\n", "model:\n  channels:\n    radio:\n      adstock: delayed\n"),
       ["mixplan.yaml", "key \"model.channels.radio\"", "not in data.channels"])
    yc("yaml-column-twice", "the same column as a channel and a control",
       CONFIG.replace("controls: [price]", "controls: [price, tv]"), ["column \"tv\"", "configured twice"])
    case("yaml-binary-garbage", "a binary file given as the config", "check --config mixplan.yaml",
         ["mixplan.yaml", "not valid UTF-8"], {"mixplan.yaml": bytes(random.Random(5).randrange(256) for _ in range(512))})
    yc("yaml-deep-nesting", "5 000 nested brackets (a parser stack-overflow attempt)",
       CONFIG + "optimizer:\n  fixed: " + "[" * 5_000 + "\n",
       ["mixplan.yaml", "not valid YAML", "nested too deeply", "line 14"])
    yc("yaml-top-level-list", "a config that is a list, not a mapping", "- data.csv\n- tv\n",
       ["mixplan.yaml", "expected a mapping", "a list"])


def cli_cases():
    data = csv_text(base())
    files = {"mixplan.yaml": CONFIG, "data.csv": data}

    def cc(name, about, args, expect, f=None):
        case(name, about, args, expect, files if f is None else f)

    cc("cli-missing-config", "fit with a config path that does not exist",
       "fit --config missing.yaml --out out", ["missing.yaml", "does not exist", "mixplan init"], {})
    cc("cli-config-is-folder", "a folder given as the config", "check --config .", [".: is a folder", "mixplan.yaml"], {})
    cc("cli-budget-not-a-number", "--budget abc", "optimize --model {model} --budget abc",
       ["'abc'", "--budget"], {})
    cc("cli-budget-negative", "--budget -5 (a negative budget)", "optimize --model {model} --budget -5",
       ["--budget", "non-negative amount, got -5"], {})
    cc("cli-budget-nan", "--budget nan", "optimize --model {model} --budget nan", ["--budget", "nan"], {})
    cc("cli-unknown-objective", "--objective best", "optimize --model {model} --objective best",
       ["--objective", "unknown objective \"best\"", "cvar:0.05"], {})
    cc("cli-objective-bad-quantile", "--objective cvar:5", "optimize --model {model} --objective cvar:5",
       ["--objective", "strictly between 0 and 1"], {})
    cc("cli-periods-zero", "--periods 0", "whatif --model {model} --spend x1=100 --periods 0",
       ["--periods", "at least 1", "got 0"], {})
    cc("cli-model-missing", "a model folder that does not exist", "optimize --model no-such-model",
       ["no-such-model", "model folder written by `mixplan fit`"], {})
    cc("cli-chains-zero", "--chains 0 on fit", "fit --config mixplan.yaml --out out --chains 0",
       ["--chains", "at least 1", "got 0"])
    cc("cli-holdout-too-large", "a holdout longer than the data", "fit --config mixplan.yaml --out out --holdout 500",
       ["--holdout", "keeps 500 periods", "the holdout can be 0 to 38 periods"])
    cc("cli-holdout-negative", "--holdout -3", "fit --config mixplan.yaml --out out --holdout -3",
       ["--holdout", "at least 0, got -3"])
    cc("cli-check-both-inputs", "check given both a CSV and --config", "check data.csv --config mixplan.yaml",
       ["either a CSV or --config"])
    cc("cli-spend-unknown-channel", "--spend for a channel the model does not have",
       "whatif --model {model} --spend tv=100", ["--spend", "unknown channel \"tv\"", "x1, x2"], {})


def plan_cases():
    def pc(name, about, args, expect, files):
        case(name, about, args, expect, files)

    pc("plan-unknown-channel", "a plan naming a channel the model does not have",
       "whatif --model {model} --plan plan.csv", ["plan.csv", "row 3", "column \"channel\"", "unknown channel \"radio\""],
       {"plan.csv": "channel,spend\nx1,1000\nradio,500\n"})
    pc("plan-negative-spend", "a plan with negative spend",
       "whatif --model {model} --plan plan.csv", ["plan.csv", "row 2", "column \"spend\"", "-250", "non-negative"],
       {"plan.csv": "channel,spend\nx1,-250\nx2,100\n"})
    pc("plan-bad-header", "a plan whose header is not channel,spend",
       "whatif --model {model} --plan plan.csv", ["plan.csv", "row 1", "channel,spend"],
       {"plan.csv": "name;amount\nx1;100\n"})
    pc("plan-missing-file", "--plan naming a file that does not exist",
       "whatif --model {model} --plan nowhere.csv", ["nowhere.csv", "cannot be read"], {})
    pc("plan-channel-twice", "a plan listing a channel twice",
       "whatif --model {model} --plan plan.csv", ["plan.csv", "row 3", "listed twice"],
       {"plan.csv": "channel,spend\nx1,100\nx1,200\n"})
    pc("bounds-cannot-meet-budget", "bounds whose maximums sum to less than the budget",
       "optimize --model {model} --budget 100000 --periods 4 --bounds bounds.csv",
       ["maximum spends sum to", "less than the budget of 100000"],
       {"bounds.csv": "channel,min,max\nx1,0,1000\nx2,0,2000\n"})
    pc("bounds-minimums-exceed-budget", "bounds whose minimums sum to more than the budget",
       "optimize --model {model} --budget 100 --periods 1 --bounds bounds.csv",
       ["minimum", "budget"], {"bounds.csv": "channel,min,max\nx1,500,1000\nx2,500,2000\n"})
    pc("bounds-malformed", "a bounds CSV with a missing cell",
       "optimize --model {model} --bounds bounds.csv", ["bounds.csv", "row 3", "found 2 cells; expected 3"],
       {"bounds.csv": "channel,min,max\nx1,0,1000\nx2,0\n"})
    pc("bounds-min-above-max", "a bounds row with min > max",
       "optimize --model {model} --bounds bounds.csv", ["bounds.csv", "row 2", "x1", "0 ≤ min ≤ max"],
       {"bounds.csv": "channel,min,max\nx1,3000,1000\n"})
    pc("bounds-unknown-channel", "bounds for a channel the model does not have",
       "optimize --model {model} --bounds bounds.csv", ["bounds.csv", "row 2", "unknown channel \"tv\""],
       {"bounds.csv": "channel,min,max\ntv,0,1000\n"})
    pc("bounds-inline-malformed", "--bounds with min above max inline",
       "optimize --model {model} --bounds x1=5000:100", ["--bounds", "\"5000:100\""], {})


class Symlink:
    """A symbolic link to write in a case folder (git stores it as a link)."""

    def __init__(self, target):
        self.target = target


WEEKLY = "weekly --config mixplan.yaml --out reports --log-level critical"


def last_week():
    """The ISO week of base()'s last period: the weekly pack's folder name."""
    year, week, _ = datetime.date.fromisoformat(base()[-1][0]).isocalendar()
    return f"{year:04d}-W{week:02d}"


def manifest(*names):
    return "# Files written by MixPlan. MixPlan replaces this folder only while it holds nothing else.\n" + \
        "".join(n + "\n" for n in sorted(set(names) | {".mixplan-files"}))


def alias_key_bomb(levels=9):
    """Mapping keys built of aliases, each level holding ten keys that expand the level below."""
    lines = ["l0: &l0 [a, b, c, d, e, f, g, h, i, j]"]
    for k in range(1, levels + 1):
        keys = ", ".join(f"[*l{k - 1}, {i}]: {i}" for i in range(10))
        lines.append(f"l{k}: &l{k} {{{keys}}}")
    return "\n".join(lines) + "\n"


def hardening_cases():
    """Issue 19: inputs that deleted a user's files, crashed, hung or were silently wrong."""
    rows = base()
    data = csv_text(rows)
    files = {"mixplan.yaml": CONFIG, "data.csv": data}
    week = last_week()

    def hc(name, about, args, expect, extra=None, config=CONFIG, csv=data, **kw):
        f = {"mixplan.yaml": config}
        if csv is not None:
            f["data.csv"] = csv
        f.update(extra or {})
        case(name, about, args, expect, f, **kw)

    # Data loss: an output folder is replaced only when everything in it is MixPlan's.
    hc("out-fit-model-folder-with-user-file", "fit --out naming an earlier model folder (no file list) that also holds a user's file",
       "fit --config mixplan.yaml --out model", ["model", "cannot tell its files from yours", "important.csv"],
       {"model/model.json": "{}\n", "model/draws.csv": "a\n1\n", "model/important.csv": "keep me\n"})
    hc("out-fit-listed-model-with-user-folder", "fit --out naming a model folder MixPlan wrote, after a user added a src/ folder",
       "fit --config mixplan.yaml --out model", ["model", "1 item MixPlan did not write", "src/"],
       {"model/model.json": "{}\n", "model/draws.csv": "a\n1\n", "model/.mixplan-files": manifest("model.json", "draws.csv"),
        "model/src/main.swift": "print(1)\n"})
    hc("out-report-folder-with-user-notes", "report --out naming an earlier report folder that also holds a user's notes",
       "report --model {model} --out rep", ["rep", "notes.md"],
       {"rep/report.md": "# old\n", "rep/notes.md": "my notes\n"})
    hc("out-weekly-pack-with-planner-notes", "a weekly pack folder where a planner saved notes",
       WEEKLY, [f"reports/{week}", "1 item MixPlan did not write", "planner-notes.txt"],
       {f"reports/{week}/report.md": "# old\n", f"reports/{week}/.mixplan-files": manifest("report.md"),
        f"reports/{week}/planner-notes.txt": "call the agency\n"})
    hc("out-weekly-work-folder-symlink", "REPORTS_DIR/.mixplan is a symbolic link to a folder of the user's files",
       WEEKLY, ["reports/.mixplan", "is a symbolic link", "does not follow links"],
       {"reports/.mixplan": Symlink("../victim"), "victim/precious.txt": "precious\n", "victim/staging-2024-W01-1/x.txt": "x\n"})
    # Output folders that are never MixPlan's: the current folder (a slip for --out reports), / and home.
    hc("out-fit-current-folder", "fit --out . (the folder holding the config and data)",
       "fit --config mixplan.yaml --out .", [": is the current folder", "never replaces it with a model folder"])
    hc("out-report-current-folder", "report --out . (the folder the user works in)",
       "report --model {model} --out .", [": is the current folder", "never replaces it with a report folder"])
    hc("out-weekly-current-folder", "weekly --out . (packs, latest and the lock would be created among the user's files)",
       "weekly --config mixplan.yaml --out . --log-level critical", [": is the current folder", "weekly packs need a folder of their own"])
    hc("out-weekly-root-folder", "weekly --out /", "weekly --config mixplan.yaml --out / --log-level critical",
       ["/: ", "is the root folder /", "weekly packs need a folder of their own"])
    hc("out-batch-current-folder", "batch --out . (model packs and _status/ among the user's files)",
       "batch --manifest models.csv --out . --log-level critical", [": is the current folder", "batch outputs need a folder of their own"],
       {"models.csv": "name,config\nbrand1,mixplan.yaml\n"})
    hc("out-batch-collect-parent-folder", "batch collect --out .. (a folder holding the current folder)",
       "batch collect --manifest models.csv --out ..", ["is a folder that holds the current folder", "batch outputs and their roll-up"],
       {"models.csv": "name,config\nbrand1,mixplan.yaml\n"})
    hc("out-weekly-lock-is-folder", "REPORTS_DIR/.mixplan/lock is a folder, not a lock file",
       WEEKLY, ["reports/.mixplan/lock", "is a folder, not MixPlan's lock file"],
       {"reports/.mixplan/lock/README": "not a lock\n"})

    # Crashes.
    huge = [list(r) for r in rows]
    for r in huge:
        r[1] = "2e17"
    hc("csv-spend-total-overflow-accepted", "spend cells whose total (1.2e19) is beyond a 64-bit integer",
       "check --config mixplan.yaml", [], csv=csv_text(huge), exit_code=0, stdout="1.2e+19")
    def sampler(key, value):
        return CONFIG.replace(f"  {key}: 10\n", f"  {key}: {value}\n")
    hc("yaml-draws-billion", "draws: 1000000000 (would allocate hundreds of GB)", "check --config mixplan.yaml",
       ["mixplan.yaml", "key \"sampler.draws\"", "from 1 to 100000", "1000000000"], config=sampler("draws", "1000000000"))
    hc("yaml-draws-int-max", "draws: 9223372036854775807 (overflowed)", "check --config mixplan.yaml",
       ["mixplan.yaml", "key \"sampler.draws\"", "from 1 to 100000"], config=sampler("draws", "9223372036854775807"))
    hc("yaml-warmup-huge", "warmup: 10^12 (would run for years)", "check --config mixplan.yaml",
       ["mixplan.yaml", "key \"sampler.warmup\"", "from 0 to 100000"], config=sampler("warmup", "1000000000000"))
    hc("yaml-total-draws", "256 chains of 100,000 draws", "check --config mixplan.yaml",
       ["mixplan.yaml", "key \"sampler.draws\"", "1,000,000 kept draws"],
       config=sampler("draws", "100000").replace("  chains: 1", "  chains: 256"))
    hc("cli-draws-billion", "--draws 1000000000 on fit", "fit --config mixplan.yaml --out out --draws 1000000000",
       ["--draws", "at most 100,000", "got 1,000,000,000"])
    hc("cli-warmup-huge", "--warmup 10^12 on weekly", WEEKLY + " --warmup 1000000000000",
       ["--warmup", "at most 100,000"])
    hc("yaml-adstock-alpha-outside-support", "adstock_alpha: Uniform(-5, 5), a decay rate prior reaching outside (0, 1)",
       "check --config mixplan.yaml", ["mixplan.yaml", "key \"model.priors.adstock_alpha\"", "Uniform(-5, 5)", "between 0 and 1"],
       config=CONFIG.replace("model:\n", "model:\n  priors:\n    adstock_alpha: Uniform(-5, 5)\n"))
    hc("yaml-saturation-prior-negative", "a Normal prior on a saturation parameter that must be positive",
       "check --config mixplan.yaml", ["key \"model.priors.saturation_lambda\"", "Normal(1, 1)", "must be > 0"],
       config=CONFIG.replace("model:\n", "model:\n  priors:\n    saturation_lambda: Normal(1, 1)\n"))
    html = "<html><body>{{#plan}}ok{{/plan}}</body></html>\n"
    case("cli-report-template-includes-itself", "a report template that includes itself",
         "report --model {model} --templates templates --out out", ["report.md.mustache", "includes itself"],
         {"templates/report.md.mustache": "# Report\n{{> report.md}}\n", "templates/report.html.mustache": html})
    case("cli-report-templates-include-each-other", "two report partials that include each other",
         "report --model {model} --templates templates --out out",
         ["templates/footer.mustache", "cycle of includes", "footer → legal → footer"],
         {"templates/report.md.mustache": "# Report\n{{> footer}}\n", "templates/report.html.mustache": html,
          "templates/footer.mustache": "see {{> legal}}\n", "templates/legal.mustache": "{{=<% %>=}}and <%> footer%>\n"})

    # Silently wrong before: a name the report does not provide rendered as nothing.
    case("cli-report-template-unknown-key", "a report template using a misspelt name ({{recomendation.budget}})",
         "report --model {model} --templates templates --out out",
         ["templates/report.md.mustache", "key \"recomendation.budget\"", "line 3", "which the report does not provide",
          "Did you mean \"recommendation.budget\"?"],
         {"templates/report.md.mustache": "# {{title}}\n\nBudget: {{recomendation.budget}}\n", "templates/report.html.mustache": html})
    hc("cli-weekly-template-unknown-key", "weekly with report.templates naming a field that does not exist: refused before the fit",
       WEEKLY, ["templates/report.html.mustache", "key \"chanel\"", "line 2", "Did you mean \"channel\"?"],
       {"templates/report.md.mustache": "# {{title}}\n", "templates/row.mustache": "<td>{{name}}</td>\n",
        "templates/report.html.mustache": "<table>{{#calibration}}{{#tests}}\n<tr>{{chanel}}{{> row}}</tr>\n{{/tests}}{{/calibration}}</table>\n"},
       config=CONFIG + "report:\n  templates: templates\n")

    # Blamed on the config key "sampler" before: a prior that leaves the model no finite density.
    hc("yaml-prior-no-finite-density", "sigma: HalfNormal(1e-300), a prior no starting point of the sampler can satisfy",
       "fit --config mixplan.yaml --out model", ["mixplan.yaml", "key \"model.priors\"", "finite density"],
       config=CONFIG.replace("model:\n", "model:\n  priors:\n    sigma: HalfNormal(1e-300)\n"))

    # Hangs.
    hc("yaml-alias-as-key", "nine levels of YAML aliases used as mapping keys (1.5 KB that ran for minutes)",
       "check --config mixplan.yaml", ["mixplan.yaml", "alias (*name) as a mapping key", "line 14"],
       config=CONFIG + alias_key_bomb())
    hc("yaml-newlines-131k", "the fuzzer's last slow input: a prior spread over 131,072 line breaks (seconds to print the error)",
       "check --config mixplan.yaml", ["mixplan.yaml", "is larger than 65,536 bytes, the most a config file may have"],
       config="model:\n  priors:\n    intercept: Normal(0," + "\n" * 131_072 + "     2)\n")
    hc("yaml-value-of-newlines", "data.file spread over 60,000 line breaks (a value no config needs)",
       "check --config mixplan.yaml", ["mixplan.yaml", "key \"data.file\"", "is a value of 60,001 characters",
                                       "a config value has at most 4,096"],
       config=CONFIG.replace("file: data.csv", "file: x" + "\n" * 60_000 + "   y"))
    hc("csv-data-file-fifo", "data.file is a named pipe nobody writes", "check --config mixplan.yaml",
       ["data.csv", "named pipe (FIFO)", "regular file"], csv=None, generate="data.csv=fifo")
    hc("csv-million-daily-rows", "a million daily rows", FIT, ["data.csv", "row 4002", "more than 4,000 data rows"],
       csv=None, generate="data.csv=million-daily-rows")

    # Exit 3 before: a name Excel cannot hold.
    long_name = "s" * 40_000
    hc("yaml-target-name-too-long", "a target column name of 40,000 characters (beyond Excel's cell limit)",
       "check --config mixplan.yaml", ["key \"data.target\"", "40,000 characters", "at most 255"],
       config=CONFIG.replace("target: sales", "target: " + long_name),
       csv=csv_text(rows, header=HEADER[:-1] + [long_name]))

    # Silently wrong.
    hc("csv-spend-typo-warned", "a spend typed as 1e15 instead of 1500: check warns", "check --config mixplan.yaml", [],
       csv=with_cell(30, "tv", "1e15"), exit_code=0, stdout="the column's median")
    hc("yaml-periods-billion", "optimizer.periods: 1e9 (planning over a billion weeks)", "check --config mixplan.yaml",
       ["mixplan.yaml", "key \"optimizer.periods\"", "from 1 to 1000"], config=CONFIG + "optimizer:\n  periods: 1000000000\n")
    case("cli-periods-billion", "--periods 1000000000 on whatif", "whatif --model {model} --spend x1=100 --periods 1000000000",
         ["--periods", "at most 1,000"], {})


def main():
    csv_cases()
    exposure_cases()
    yaml_cases()
    cli_cases()
    plan_cases()
    hardening_cases()
    names = [c[0] for c in CASES]
    assert len(names) == len(set(names)), "duplicate case names"
    for name, about, args, expect, files, exit_code, stdout, generate in CASES:
        folder = os.path.join(HERE, name)
        shutil.rmtree(folder, ignore_errors=True)
        os.makedirs(folder)
        for file, content in files.items():
            path = os.path.join(folder, file)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            if isinstance(content, Symlink):
                os.symlink(content.target, path)
                continue
            with open(path, "wb") as f:
                f.write(content if isinstance(content, bytes) else content.encode("utf-8", "surrogateescape"))
        lines = [f"about: {about}", f"args: {args}", f"exit: {exit_code}"]
        lines += [f"expect: {e}" for e in expect]
        if stdout:
            lines.append(f"stdout: {stdout}")
        if generate:
            lines.append(f"generate: {generate}")
        with open(os.path.join(folder, "case.txt"), "w") as f:
            f.write("\n".join(lines) + "\n")
    print(f"wrote {len(CASES)} cases")


if __name__ == "__main__":
    main()

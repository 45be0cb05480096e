"""Pictures of the review packs for the README: each pack's cover sheet and main chart, as PNGs.

Usage (after `make run` has created the demo database): `make pack-pictures`, or
`scripts/dev.sh pack-pictures [--db scp_demo] [--out sales_cycle_process/static/description]`.

Renders the weekly commit pack (the latest week's commits) and the monthly forecast pack (the latest
month's forecasts) of the demo company through Odoo, as the demo sales manager would download them (the
report actions of views/forecast_views.xml), converts each .xlsx to PDF with LibreOffice headless
(`soffice --headless --convert-to pdf`) and each chosen page to PNG with `pdftoppm -png -r 80`:

- the cover: the first page of the first sheet;
- the main chart: the page on which `pdftotext` finds the title of the pack's main chart (the first chart
  whose title matches --commit-chart / --forecast-chart, else the first chart of the workbook), so the
  pictures follow the packs' layout whatever sheets and charts they gain.

Nothing is written to the database (the transaction is rolled back).
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path
from xml.etree import ElementTree

ROOT = Path(__file__).resolve().parent.parent
MODULE = "sales_cycle_process"
CHART_NS = {
    "c": "http://schemas.openxmlformats.org/drawingml/2006/chart",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
}
PACKS = {
    # pack: (report, model, period field, picture prefix)
    "commit": ("commit_pack_xlsx", "scp.sales.commit", "week_start", "commit_pack"),
    "forecast": ("forecast_pack_xlsx", "scp.sales.forecast", "month", "forecast_pack"),
}


def render_packs(conf, db, workdir):
    """Both packs of the demo company as .xlsx files in ``workdir``: {pack: path}."""
    import odoo
    from odoo import SUPERUSER_ID, api
    from odoo.tools import config

    config.parse_config(["-c", conf, "--log-level=warn"])
    odoo.netsvc.init_logger()
    registry = odoo.modules.registry.Registry(db)
    paths = {}
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        company = env.ref("base.main_company")
        manager = env.ref(f"{MODULE}.demo_user_sales_manager", raise_if_not_found=False) or env.ref(
            "base.user_admin"
        )
        for pack, (report, model, period, _prefix) in PACKS.items():
            Model = env[model].with_user(manager).with_company(company)
            domain = [("company_id", "=", company.id)]
            if model == "scp.sales.commit":
                domain.append(("state", "=", "current"))
            records = Model.search(domain)
            if not records:
                sys.exit(f"no {model} in {db}: is it a database with the demo data of {MODULE}?")
            latest = max(records.mapped(period))
            records = Model.search([*domain, (period, "=", latest)])
            content, _kind = (
                env["ir.actions.report"]
                .with_user(manager)
                .with_company(company)
                ._render_xlsx(f"{MODULE}.{report}", records.ids, {})
            )
            paths[pack] = Path(workdir) / f"{pack}_pack.xlsx"
            paths[pack].write_bytes(content)
            print(f"{pack} pack: {len(records)} record(s) of {latest}, {len(content)} bytes", file=sys.stderr)
        cr.rollback()
    return paths


def chart_titles(xlsx):
    """The titles of the workbook's charts, in the order of their files (chart1.xml, chart2.xml, ...)."""
    titles = []
    with zipfile.ZipFile(xlsx) as archive:
        names = [name for name in archive.namelist() if re.fullmatch(r"xl/charts/chart\d+\.xml", name)]
        for name in sorted(names, key=lambda n: int(re.search(r"(\d+)\.xml$", n).group(1))):
            root = ElementTree.fromstring(archive.read(name))
            title = root.find(".//c:chart/c:title", CHART_NS)
            text = (
                "".join(t.text or "" for t in title.iter(f"{{{CHART_NS['a']}}}t"))
                if title is not None
                else ""
            )
            titles.append(text.strip())
    return [title for title in titles if title]


def to_pdf(xlsx, workdir):
    """The .xlsx converted by LibreOffice headless (a profile of its own, so that it runs beside another)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        sys.exit("LibreOffice was not found: apt-get install libreoffice-calc-nogui")
    profile = Path(workdir) / "lo-profile"
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(workdir),
            str(xlsx),
        ],
        check=True,
        stdout=subprocess.DEVNULL,
        timeout=600,
    )
    pdf = Path(workdir) / (Path(xlsx).stem + ".pdf")
    if not pdf.exists():
        sys.exit(f"LibreOffice did not convert {xlsx}")
    return pdf


def page_texts(pdf):
    """The text of each page of the PDF (pdftotext; pages are separated by form feeds)."""
    out = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    pages = out.split("\f")
    if pages and not pages[-1].strip():
        pages.pop()
    return pages


def normalize(text):
    return re.sub(r"\s+", " ", text).strip().casefold()


def chart_page(pages, titles, wanted):
    """The number (from 1) of the page showing the main chart: the first chart title matching ``wanted``,
    else the first title, looked up in the pages' text. A page where the title stands on a line of its own
    (a chart's title) wins over one where it is part of a sentence, and any page over the cover (page 1),
    which may name the charts; page 2 (or 1) when no title is found."""
    ordered = [t for t in titles if re.search(wanted, t, re.IGNORECASE)] + titles
    for title in ordered:
        key = normalize(title)
        alone = [
            number
            for number, text in enumerate(pages, start=1)
            if any(normalize(line) == key for line in text.splitlines())
        ]
        within = [number for number, text in enumerate(pages, start=1) if key in normalize(text)]
        for candidates in (alone, within):
            if candidates:
                return next((n for n in candidates if n != 1), candidates[0]), title
    return min(2, len(pages)), None


def to_png(pdf, page, target, dpi):
    prefix = target.with_suffix("")
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            str(dpi),
            "-f",
            str(page),
            "-l",
            str(page),
            "-singlefile",
            str(pdf),
            str(prefix),
        ],
        check=True,
    )
    return target


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--conf", required=True, help="Odoo configuration file (scripts/dev.sh writes .dev/odoo.conf)"
    )
    parser.add_argument("--db", default=os.environ.get("DEMO_DB", "scp_demo"))
    parser.add_argument("--out", default=str(ROOT / MODULE / "static" / "description"))
    parser.add_argument("--dpi", type=int, default=80)
    parser.add_argument(
        "--commit-chart", default=r"commit vs\.? actual", help="regex of the main chart's title"
    )
    parser.add_argument(
        "--forecast-chart", default=r"pipeline and commit growth", help="regex of the main chart's title"
    )
    parser.add_argument("--keep", help="also copy the .xlsx and .pdf files into this folder")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    wanted = {"commit": args.commit_chart, "forecast": args.forecast_chart}
    with tempfile.TemporaryDirectory(prefix="scp-pack-pictures-") as workdir:
        for pack, xlsx in render_packs(args.conf, args.db, workdir).items():
            prefix = PACKS[pack][3]
            pdf = to_pdf(xlsx, workdir)
            pages = page_texts(pdf)
            number, title = chart_page(pages, chart_titles(xlsx), wanted[pack])
            cover = to_png(pdf, 1, out / f"{prefix}_cover.png", args.dpi)
            chart = to_png(pdf, number, out / f"{prefix}_chart.png", args.dpi)
            found = f"chart {title!r}" if title else "no chart title found in the text, page"
            print(f"{pack} pack: {len(pages)} PDF pages; cover: page 1 -> {cover}", file=sys.stderr)
            print(f"{pack} pack: {found} on page {number} -> {chart}", file=sys.stderr)
            if args.keep:
                Path(args.keep).mkdir(parents=True, exist_ok=True)
                shutil.copy(xlsx, args.keep)
                shutil.copy(pdf, args.keep)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Keep ``sales_cycle_process/i18n/zh_CN.po`` complete against the ``.pot``.

Usage (from the repository root, with the project's venv)::

    .venv/bin/python scripts/zh_cn_fill.py            # merge the .pot, check, list what is left
    .venv/bin/python scripts/zh_cn_fill.py --todo todo.tsv   # also write the untranslated terms
    .venv/bin/python scripts/zh_cn_fill.py --apply todo.tsv  # fill translations, then merge and check

1. ``msgmerge`` the regenerated ``.pot`` into ``zh_CN.po`` (no fuzzy matching: a changed English
   text needs a new translation; obsolete entries are dropped), keeping the .pot's references.
2. ``--apply FILE``: fill msgstrs from a TSV file of ``msgid<TAB>msgstr`` lines, newlines written
   as ``\\n`` (the format ``--todo`` writes: fill the second column in, then apply it).
3. Check every translation keeps the msgid's placeholders (``%(name)s``, ``%s``, ``%%``,
   ``{{ }}``, ``${ }``, QWeb/HTML tags with their non-text attributes) and run
   ``msgfmt -c --check-format``.
4. List the untranslated terms; the exit status is 1 when a term is untranslated or a check fails.

The deck's vocabulary to use is in ``docs/glossary.md``.
"""

import argparse
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
I18N = ROOT / "sales_cycle_process" / "i18n"
POT = I18N / "sales_cycle_process.pot"
PO = I18N / "zh_CN.po"
EXTRA_PO = ROOT / "sales_cycle_process" / "i18n_extra" / "zh_CN.po"

HEADER = {
    "Project-Id-Version": "Odoo Server 18.0",
    "Report-Msgid-Bugs-To": "",
    "Last-Translator": "",
    "Language-Team": "Chinese (Simplified)",
    "MIME-Version": "1.0",
    "Content-Type": "text/plain; charset=UTF-8",
    "Content-Transfer-Encoding": "",
    "Language": "zh_CN",
    "Plural-Forms": "nplurals=1; plural=0;",
}

PLACEHOLDER = re.compile(
    r"%(?:\([^)]+\))?[-#0+]*\d*(?:\.\d+)?[sdfr%]"  # printf: %(name)s %s %.2f %%
    r"|\{\{.*?\}\}"  # {{ qweb }}
    r"|\$\{.*?\}"  # ${expr}
)
TAG = re.compile(r"<[^<>]+>")
# Attributes whose value is text for the reader: translated, so not compared.
TEXT_ATTRS = re.compile(r'\s(?:title|aria-label|alt|placeholder|string|help)="[^"]*"')


# Odoo's four default CRM stages are renamed by the stage ladder (data/crm_stage_ladder_data.xml):
# their records belong to ``crm``, so Odoo exports their terms to crm's .pot, not to ours. Their
# ladder names and definitions are translated here and written to i18n_extra/zh_CN.po (write_extra).
EXTRA = [
    ("model:crm.stage,name:crm.stage_lead1", "Lead intake", "导入期"),
    ("model:crm.stage,name:crm.stage_lead2", "Met with customer", "与客户会面"),
    ("model:crm.stage,name:crm.stage_lead3", "Final proposal", "完成最终销售方案"),
    ("model:crm.stage,name:crm.stage_lead4", "Order received", "收到订单"),
    (
        "model_terms:crm.stage,definition:crm.stage_lead1",
        "Lead intake (0 %): a lead has come in from one of the playbook's channels; it is produced, "
        "qualified, classified and followed up until we meet the customer.",
        "导入期(0 %):线索已从销售流程手册的某个渠道进入;"
        "对其进行产出、资格认定、分类和跟踪,直到我们与客户会面。",
    ),
    (
        "model_terms:crm.stage,definition:crm.stage_lead2",
        "Met with the customer (25 %): an expert seminar or demo was held, or the customer visited our "
        "headquarters; the customer's decision process and decision makers are confirmed; the marketing "
        "funds are confirmed.",
        "与客户会面(25 %):已举行专家研讨会或演示会,或客户已参观我们的总部;已确认客户方的决策流程及其决策人;"
        "已确认市场活动经费。",
    ),
    (
        "model_terms:crm.stage,definition:crm.stage_lead3",
        "The final solution is completed (60 %).",
        "完成最终销售方案(60 %)。",
    ),
    (
        "model_terms:crm.stage,definition:crm.stage_lead4",
        "Order (100 %): the purchase order or signed contract is received; the deal is won.",
        "下订单(100 %):已收到采购订单或签署的合同;商机已赢得。",
    ),
]


def write_extra():
    """Write the terms of the crm records the ladder renames (see EXTRA) to i18n_extra/zh_CN.po.

    Odoo merges i18n/zh_CN.po with our .pot when it loads it, which drops any term the .pot does not
    hold; i18n_extra/ has no .pot, so its terms load as they are (after i18n/zh_CN.po).
    """
    po = polib.POFile(wrapwidth=78)
    po.metadata = dict(HEADER)
    for occurrence, msgid, msgstr in EXTRA:
        po.append(
            polib.POEntry(
                msgid=msgid,
                msgstr=msgstr,
                comment="module: sales_cycle_process",
                occurrences=[(occurrence, "")],
            )
        )
    EXTRA_PO.parent.mkdir(exist_ok=True)
    po.save(str(EXTRA_PO))


def escape(text):
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")


def unescape(text):
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), text)


def tokens(text):
    tags = [TEXT_ATTRS.sub("", tag) for tag in TAG.findall(text)]
    return Counter(PLACEHOLDER.findall(text)) + Counter(tags)


def placeholder_errors(entry):
    """What the msgstr lost or added compared to the msgid (empty when it keeps them all)."""
    if not entry.msgstr:
        return ""
    want, got = tokens(entry.msgid), tokens(entry.msgstr)
    if want == got:
        return ""
    return f"missing {sorted((want - got).elements())}, extra {sorted((got - want).elements())}"


def merge():
    """msgmerge the .pot into zh_CN.po (created from the .pot when absent)."""
    if not PO.exists():
        po = polib.pofile(str(POT))
        po.metadata.update(HEADER)
        po.save(str(PO))
    if shutil.which("msgmerge"):
        subprocess.run(
            [
                "msgmerge",
                "--quiet",
                "--no-fuzzy-matching",
                "--no-wrap",
                "--update",
                "--backup=none",
                str(PO),
                str(POT),
            ],
            check=True,
        )
    po = polib.pofile(str(PO), wrapwidth=78)
    if not shutil.which("msgmerge"):
        po.merge(polib.pofile(str(POT)))
    for entry in po.obsolete_entries():
        po.remove(entry)
    po.metadata.update(HEADER)
    return po


def apply(po, path):
    filled = 0
    by_id = {entry.msgid: entry for entry in po}
    for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        msgid, _tab, msgstr = line.partition("\t")
        msgid, msgstr = unescape(msgid), unescape(msgstr)
        entry = by_id.get(msgid)
        if entry is None:
            print(f"{path}:{n}: not in the .pot: {escape(msgid)[:80]}", file=sys.stderr)
        elif msgstr.strip():
            entry.msgstr = msgstr
            entry.flags = [f for f in entry.flags if f != "fuzzy"]
            filled += 1
    print(f"{filled} translations applied from {path}")


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--apply", metavar="TSV", help="fill msgstrs from msgid<TAB>msgstr lines")
    parser.add_argument("--todo", metavar="TSV", help="write the untranslated msgids there")
    args = parser.parse_args()

    write_extra()
    po = merge()
    if args.apply:
        apply(po, args.apply)
    po.save(str(PO))

    status = 0
    for entry in po:
        error = placeholder_errors(entry)
        if error:
            status = 1
            print(f"placeholders differ: {escape(entry.msgid)[:90]}\n    {error}")
    if shutil.which("msgfmt"):
        check = subprocess.run(
            ["msgfmt", "-c", "--check-format", "-o", "/dev/null", str(PO)], capture_output=True, text=True
        )
        if check.returncode:
            status = 1
            print(check.stderr)
    untranslated = [entry for entry in po if not entry.msgstr.strip() or "fuzzy" in entry.flags]
    if args.todo:
        Path(args.todo).write_text("".join(f"{escape(e.msgid)}\t\n" for e in untranslated), encoding="utf-8")
    for entry in untranslated:
        print(f"untranslated: {escape(entry.msgid)[:100]}")
    print(f"{len(po) - len(untranslated)} of {len(po)} terms translated, {len(untranslated)} left")
    return 1 if untranslated else status


if __name__ == "__main__":
    sys.exit(main())

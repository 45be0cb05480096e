# Copyright 2026 sales_cycle_process contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""18.0.3.0.0, after the update: each stage's criteria are what must be true for a deal to be AT it (entry
criteria), as the sales deck defines the probabilities; they were what had to be done to LEAVE it.

Where each criterion goes:

- A criterion the addon shipped, still on the stage it was shipped on, goes where the data file now puts it.
  Its wording is the deck's definition of its own rung (“Commercial negotiation completed” is the deck's
  90 %), so it stays on its stage; the four intake criteria of *Lead intake* (0 %), the first rung where every
  deal starts, now say what must be true to be *Met with customer* (25 %). Its name and sequence become the
  data file's (the deck's wording), unless a company renamed or reordered it.
- Any other criterion (created by a company, or a shipped one a company moved) keeps its meaning: what had to
  be true to leave stage X is what must be true to be at the next rung up of X's ladder (the shared stages
  and, for a team's own stage, that team's). On the last rung it stays.

The deals' checklist lines (``scp.lead.criterion.check``) follow their criteria: same rows, who checked them
and when kept. Open deals get the lines of the stages above them (what they tick to move up). The shipped
stages' definitions become the deck's wording, unless a company edited them. No deal changes stage or
probability. Idempotent: a second run finds the criteria where they belong and changes nothing.
"""

import logging
import re

from odoo import SUPERUSER_ID, api

_logger = logging.getLogger(__name__)

MODULE = "sales_cycle_process"

# {xml id: (stage shipped on before, stage now, name before, name now, sequence before, sequence now)}
SHIPPED_CRITERIA = {
    "entry_criterion_01": ("crm.stage_lead1", "crm.stage_lead2", "Lead produced", "Lead produced", 10, 1),
    "entry_criterion_02": ("crm.stage_lead1", "crm.stage_lead2", "Lead qualified", "Lead qualified", 20, 2),
    "entry_criterion_03": ("crm.stage_lead1", "crm.stage_lead2", "Lead classified", "Lead classified", 30, 3),
    "entry_criterion_04": (
        "crm.stage_lead1",
        "crm.stage_lead2",
        "Lead followed up",
        "Lead followed up",
        40,
        4,
    ),
    "entry_criterion_05": (
        "crm.stage_lead2",
        "crm.stage_lead2",
        "Seminar or demo held, or customer invited to visit us",
        "Expert seminar or demo held, or customer invited to visit our headquarters",
        10,
        10,
    ),
    "entry_criterion_06": (
        "crm.stage_lead2",
        "crm.stage_lead2",
        "Decision process and decision makers confirmed",
        "Decision process and decision makers confirmed",
        20,
        20,
    ),
    "entry_criterion_07": (
        "crm.stage_lead2",
        "crm.stage_lead2",
        "Budget confirmed",
        "Marketing funds confirmed",
        30,
        30,
    ),
    "entry_criterion_08": (
        f"{MODULE}.stage_ladder_purchase_intent",
        f"{MODULE}.stage_ladder_purchase_intent",
        "Enough evidence of intent to buy: a foreseeable signing date",
        "Signing date foreseeable",
        10,
        10,
    ),
    "entry_criterion_09": (
        f"{MODULE}.stage_ladder_purchase_intent",
        f"{MODULE}.stage_ladder_purchase_intent",
        "Demo or test completed",
        "Demo or test completed",
        20,
        20,
    ),
    "entry_criterion_10": (
        "crm.stage_lead3",
        "crm.stage_lead3",
        "Final solution proposal delivered",
        "Final solution completed",
        10,
        10,
    ),
    "entry_criterion_11": (
        f"{MODULE}.stage_ladder_proposal_accepted",
        f"{MODULE}.stage_ladder_proposal_accepted",
        "Proposal passed the customer's expert panel or accepted by the customer",
        "Solution passed by the customer's expert panel or accepted by the customer",
        10,
        10,
    ),
    "entry_criterion_12": (
        f"{MODULE}.stage_ladder_chosen",
        f"{MODULE}.stage_ladder_chosen",
        "Customer's management has decided",
        "Customer's internal management has decided",
        10,
        10,
    ),
    "entry_criterion_13": (
        f"{MODULE}.stage_ladder_chosen",
        f"{MODULE}.stage_ladder_chosen",
        "Customer has chosen us",
        "Customer has chosen us",
        20,
        20,
    ),
    "entry_criterion_14": (
        f"{MODULE}.stage_ladder_negotiated",
        f"{MODULE}.stage_ladder_negotiated",
        "Commercial negotiation completed",
        "Commercial negotiation completed",
        10,
        10,
    ),
}

# {stage xml id: (definition before, definition now)}: the deck's wording
SHIPPED_DEFINITIONS = {
    "crm.stage_lead1": (
        "<p>A lead has come in from one of the playbook's channels.</p>",
        "<p>Lead intake (0 %): a lead has come in from one of the playbook's channels; it is produced, "
        "qualified, classified and followed up until we meet the customer.</p>",
    ),
    "crm.stage_lead2": (
        "<p>We have met the customer.</p>",
        "<p>Met with the customer (25 %): an expert seminar or demo was held, or the customer visited our "
        "headquarters; the customer's decision process and decision makers are confirmed; the marketing "
        "funds are confirmed.</p>",
    ),
    f"{MODULE}.stage_ladder_purchase_intent": (
        "<p>The customer intends to buy.</p>",
        "<p>Enough reasons and events show the customer's intent to buy (50 %): the signing date is "
        "foreseeable; the demo or test is completed.</p>",
    ),
    "crm.stage_lead3": (
        "<p>We are preparing or have sent the final proposal.</p>",
        "<p>The final solution is completed (60 %).</p>",
    ),
    f"{MODULE}.stage_ladder_proposal_accepted": (
        "<p>The proposal is with the customer's experts.</p>",
        "<p>The solution has passed the customer's expert panel, or the customer has accepted it (70 %).</p>",
    ),
    f"{MODULE}.stage_ladder_chosen": (
        "<p>The customer is deciding between the finalists.</p>",
        "<p>The customer's internal management has decided: the customer has chosen us (80 %).</p>",
    ),
    f"{MODULE}.stage_ladder_negotiated": (
        "<p>Commercial negotiation is under way.</p>",
        "<p>The commercial negotiation is completed (90 %).</p>",
    ),
    "crm.stage_lead4": (
        "<p>Purchase order or signed contract received: the deal is won.</p>",
        "<p>Order (100 %): the purchase order or signed contract is received; the deal is won.</p>",
    ),
}


def squash(markup):
    """Markup compared without whitespace and quoting differences."""
    text = re.sub(r"\s+", " ", str(markup or "")).replace("'", '"')
    return re.sub(r">\s+<", "><", text).strip()


def next_rung(stage, stages):
    """The stage right above ``stage`` on its ladder (the shared stages and its team's), or ``stage``."""
    key = (stage.sequence, stage.id)
    above = stages.filtered(
        lambda s: (not s.team_id or s.team_id == stage.team_id) and (s.sequence, s.id) > key
    )
    return min(above, key=lambda s: (s.sequence, s.id), default=stage)


def move_criteria(env):
    """Each criterion to the stage it now belongs to; the deals' lines follow (SQL: a checked criterion
    cannot move through the ORM, and no line may change its checker or date)."""
    Criterion = env["scp.stage.criterion"].with_context(active_test=False)
    stages = env["crm.stage"].with_context(active_test=False).search([])
    shipped = {}
    for name, values in SHIPPED_CRITERIA.items():
        record = env.ref(f"{MODULE}.{name}", raise_if_not_found=False)
        if record:
            shipped[record.id] = values
    moves = {}
    for criterion in Criterion.search([]):
        values = shipped.get(criterion.id)
        old_stage = env.ref(values[0], raise_if_not_found=False) if values else None
        if values and criterion.stage_id == old_stage:
            target = env.ref(values[1], raise_if_not_found=False) or criterion.stage_id
        else:
            target = next_rung(criterion.stage_id, stages)
        if target != criterion.stage_id:
            moves.setdefault(target.id, []).append(criterion.id)
    for stage_id, criterion_ids in moves.items():
        env.cr.execute(
            "UPDATE scp_stage_criterion SET stage_id = %s WHERE id = ANY(%s)", [stage_id, criterion_ids]
        )
        _logger.info("%s criteria are now entry criteria of stage %s", len(criterion_ids), stage_id)
    # the checklist lines follow their criterion (stored related stage)
    env.cr.execute(
        """
        UPDATE scp_lead_criterion_check k SET stage_id = c.stage_id
          FROM scp_stage_criterion c
         WHERE c.id = k.criterion_id AND k.stage_id IS DISTINCT FROM c.stage_id
        """
    )
    _logger.info("%s checklist lines follow their criterion to its stage", env.cr.rowcount)
    env.invalidate_all()


def update_wording(env):
    """The shipped criteria's names and order, and the shipped stages' definitions, in the deck's words,
    where a company has not changed them."""
    for name, (_old_stage, _stage, old_name, new_name, old_seq, new_seq) in SHIPPED_CRITERIA.items():
        criterion = env.ref(f"{MODULE}.{name}", raise_if_not_found=False)
        if not criterion:
            continue
        vals = {}
        if criterion.with_context(lang="en_US").name == old_name and old_name != new_name:
            vals["name"] = new_name
        if criterion.sequence == old_seq and old_seq != new_seq:
            vals["sequence"] = new_seq
        if vals:
            criterion.with_context(lang="en_US").write(vals)
    for xmlid, (old, new) in SHIPPED_DEFINITIONS.items():
        stage = env.ref(xmlid, raise_if_not_found=False)
        if stage and squash(stage.with_context(lang="en_US").definition) == squash(old):
            stage.with_context(lang="en_US").write({"definition": new})


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    move_criteria(env)
    update_wording(env)
    # open deals get the lines of the stages above them: what they tick to move up (no deal moves)
    Lead = env["crm.lead"]
    Lead.search(Lead._ladder_open_domain())._ladder_ensure_checks()

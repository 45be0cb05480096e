/** @odoo-module **/
// Copyright 2026 sales_cycle_process contributors
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
// A sales manager opens the pipeline inspection from CRM > Playbook (the changes since last Monday's commit,
// grouped by kind), then a salesperson's commit waterfall on the Monday consolidation.
import { registry } from "@web/core/registry";

const PLAYBOOK =
    ".o_main_navbar .o_menu_sections button:contains('Playbook'), .o_main_navbar .o_menu_sections a:contains('Playbook')";
const REP_ROW = ".o_scp_monday_table tr.o_scp_monday_row_rep:contains('Ivy Inspect')";

registry.category("web_tour.tours").add("scp_pipeline_inspection_tour", {
    steps: () => [
        { content: "Open the Playbook menu", trigger: PLAYBOOK, run: "click" },
        {
            content: "Pipeline Inspection",
            trigger: ".dropdown-item:contains('Pipeline Inspection')",
            run: "click",
        },
        {
            content: "The changes are grouped by kind: open the deals pushed out",
            trigger: ".o_list_view .o_group_name:contains('Pushed Out')",
            run: "click",
        },
        {
            content: "Ivy's deal was pushed out twice",
            trigger: ".o_list_view .o_data_row:contains('Tour: slipping press') td[name=moves]:contains('2')",
        },
        { content: "Open the Playbook menu again", trigger: PLAYBOOK, run: "click" },
        {
            content: "Monday Consolidation",
            trigger: ".dropdown-item:contains('Monday Consolidation')",
            run: "click",
        },
        {
            content: "Open Ivy's commit waterfall",
            trigger: `${REP_ROW} .o_scp_monday_waterfall_button`,
            run: "click",
        },
        {
            content: "Last week's commit: 19,000",
            trigger: ".o_scp_monday_waterfall tr.o_scp_waterfall_start .o_scp_waterfall_amount:contains('19,000')",
        },
        {
            content: "The slipped deal left the commit: 7,000 slipped out",
            trigger: ".o_scp_monday_waterfall tr.o_scp_waterfall_slipped_out .o_scp_waterfall_amount:contains('7,000')",
        },
        {
            content: "This week's commit: 12,000",
            trigger: ".o_scp_monday_waterfall tr.o_scp_waterfall_end .o_scp_waterfall_amount:contains('12,000')",
        },
    ],
});

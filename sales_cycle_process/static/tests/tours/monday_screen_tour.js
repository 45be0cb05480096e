/** @odoo-module **/
// Copyright 2026 sales_cycle_process contributors
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
// A sales manager opens the Monday consolidation from CRM > Playbook: a salesperson's row coloured by the
// bands, the team's total row, and a click on the salesperson opens their commit.
import { registry } from "@web/core/registry";

const REP_ROW = ".o_scp_monday_table tr.o_scp_monday_row_rep:contains('Tina Tour')";
const TEAM_ROW = ".o_scp_monday_table tr.o_scp_monday_row_team:contains('Tour Monday Team')";

registry.category("web_tour.tours").add("scp_monday_screen_tour", {
    steps: () => [
        {
            content: "Open the Playbook menu",
            trigger: ".o_main_navbar .o_menu_sections button:contains('Playbook'), .o_main_navbar .o_menu_sections a:contains('Playbook')",
            run: "click",
        },
        {
            content: "Monday Consolidation",
            trigger: ".dropdown-item:contains('Monday Consolidation')",
            run: "click",
        },
        {
            content: "The salesperson's coverage is in the good band (green)",
            trigger: `${REP_ROW} td.o_scp_monday_cell_coverage.o_scp_band_success.bg-success-subtle`,
        },
        {
            content: "Her commit of the week",
            trigger: `${REP_ROW} td.o_scp_monday_cell_commit_week:contains('75,000')`,
        },
        {
            content: "The team's total row, in bold",
            trigger: `${TEAM_ROW}.fw-bold td.o_scp_monday_cell_commit_week:contains('75,000')`,
        },
        {
            content: "Open the salesperson's commit",
            trigger: `${REP_ROW} td.o_scp_monday_name`,
            run: "click",
        },
        {
            content: "Her commit of the week opens",
            trigger: ".o_form_view .o_field_widget[name=commit_week]:contains('75,000')",
        },
    ],
});

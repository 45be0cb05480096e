/** @odoo-module **/
// Copyright 2026 sales_cycle_process contributors
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
// A sales manager reads the ladder calibration (the measured win rate of each stage), then finds a stale
// deal of theirs with the pipeline's "Stale" filter.
import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("scp_ladder_calibration_tour", {
    steps: () => [
        {
            content: "The calibration opens on its graph; switch to the list",
            trigger: ".o_switch_view.o_list",
            run: "click",
        },
        {
            content: "One group per stage of the ladder: Purchase intent is there",
            trigger: ".o_list_view .o_group_name:contains('Purchase intent')",
        },
    ],
});

registry.category("web_tour.tours").add("scp_stale_deals_tour", {
    steps: () => [
        {
            content: "Open the search options",
            trigger: ".o_searchview_dropdown_toggler",
            run: "click",
        },
        {
            content: "Filter the stale deals",
            trigger: ".o_filter_menu .o-dropdown-item:contains('Stale')",
            run: "click",
        },
        {
            content: "The deal sleeping in its stage shows, with the Stale badge",
            trigger: ".o_kanban_record:contains('Tour: sleepy press') .fa-hourglass-end",
        },
        {
            content: "The healthy deal is filtered out",
            trigger: ".o_kanban_renderer:not(:has(.o_kanban_record:contains('Tour: busy press')))",
        },
    ],
});

/** @odoo-module **/
// A salesperson submits the weekly commit from CRM > Playbook; an incomplete checklist shows as upside.
import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("scp_commit_wizard_tour", {
    steps: () => [
        {
            content: "Open the Playbook menu",
            trigger: ".o_main_navbar .o_menu_sections button:contains('Playbook'), .o_main_navbar .o_menu_sections a:contains('Playbook')",
            run: "click",
        },
        {
            content: "Submit Weekly Commit",
            trigger: ".dropdown-item:contains('Submit Weekly Commit')",
            run: "click",
        },
        {
            content: "The deal in the commit category is proposed",
            trigger: ".modal .o_field_widget[name=line_ids] .o_data_row:contains('Tour: servo press for Lyon')",
        },
        {
            content: "The deal with an incomplete checklist will be upside, and the wizard says why",
            trigger: ".modal .o_field_widget[name=line_ids] .o_data_row:contains('Tour: press brake for Lille'):contains('Checklist incomplete')",
        },
        {
            content: "Submit",
            trigger: ".modal button[name=action_submit]",
            run: "click",
        },
        {
            content: "The submitted commit opens",
            trigger: ".o_action_manager .o_form_view .o_field_widget[name=line_ids] .o_data_row:contains('Tour: servo press for Lyon')",
        },
    ],
});

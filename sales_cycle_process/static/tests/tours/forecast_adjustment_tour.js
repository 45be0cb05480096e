/** @odoo-module **/
// A team leader records a call on a salesperson's weekly commit, with a note, from CRM > Playbook.
import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("scp_forecast_adjustment_tour", {
    steps: () => [
        {
            content: "Open the Playbook menu",
            trigger: ".o_main_navbar .o_menu_sections button:contains('Playbook'), .o_main_navbar .o_menu_sections a:contains('Playbook')",
            run: "click",
        },
        {
            content: "Manager Adjustments",
            trigger: ".dropdown-item:contains('Manager Adjustments')",
            run: "click",
        },
        {
            content: "New adjustment",
            trigger: ".o_control_panel .o_list_button_add",
            run: "click",
        },
        {
            content: "The team",
            trigger: ".o_field_widget[name=team_id] input",
            run: "edit Tour Adjust Team",
        },
        {
            content: "Pick the team",
            trigger: ".o-autocomplete--dropdown-menu .dropdown-item:contains('Tour Adjust Team')",
            run: "click",
        },
        {
            content: "The account manager",
            trigger: ".o_field_widget[name=user_id] input",
            run: "edit Remy",
        },
        {
            content: "Pick the account manager",
            trigger: ".o-autocomplete--dropdown-menu .dropdown-item:contains('Remy Rep')",
            run: "click",
        },
        {
            content: "The manager's call",
            trigger: ".o_field_widget[name=amount] input",
            run: "edit 42000",
        },
        {
            content: "The note",
            trigger: ".o_field_widget[name=note] textarea",
            run: "edit Remy's press slips to next week",
        },
        {
            content: "Record the call",
            trigger: ".o_form_statusbar button:contains('Record the Call')",
            run: "click",
        },
        {
            content: "Recorded: the submitted number is shown beside the call",
            trigger: ".o_form_view .o_field_widget[name=submitted_amount]",
        },
    ],
});

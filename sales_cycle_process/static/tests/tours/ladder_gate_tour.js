/** @odoo-module **/
// The stage gate as a salesperson meets it: a deal cannot move up to a stage whose entry criteria are
// not all checked; checking the last one lets it move.
import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("scp_ladder_gate_tour", {
    steps: () => [
        {
            content: "The deal is open on its first rung",
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains('Lead intake')",
        },
        {
            content: "Try to move it to the next rung",
            trigger: ".o_statusbar_status button:contains('Met with customer')",
            run: "click",
        },
        {
            content: "The gate refuses: one entry criterion of the next rung is not met",
            trigger: ".modal:contains('cannot move up to Met with customer'):contains('Lead followed up')",
        },
        {
            content: "The form's warning is a notification, the refusal a dialog: close it",
            trigger: ".o_notification:contains('Entry criteria not met')",
        },
        {
            trigger: ".o_dialog:last .modal-footer .btn-primary",
            run: "click",
        },
        {
            trigger: "body:not(:has(.modal))",
        },
        {
            content: "Drop the refused move",
            trigger: ".o_form_button_cancel",
            run: "click",
        },
        {
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains('Lead intake')",
        },
        {
            content: "Open the entry criteria checklist",
            trigger: ".o_notebook .nav-link:contains('Entry Criteria')",
            run: "click",
        },
        {
            content: "Check the missing criterion",
            trigger:
                ".o_field_widget[name=criterion_check_ids] .o_data_row:contains('Lead followed up') .o_field_boolean_toggle input",
            run: "click",
        },
        {
            trigger:
                ".o_field_widget[name=criterion_check_ids] .o_data_row:contains('Lead followed up') .o_field_boolean_toggle input:checked",
        },
        {
            content: "Save the checklist",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            trigger: ".o_form_saved",
        },
        {
            content: "Move the deal on",
            trigger: ".o_statusbar_status button:contains('Met with customer')",
            run: "click",
        },
        {
            content: "The deal is on the next rung",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains('Met with customer')",
        },
        {
            trigger: ".o_form_saved",
        },
    ],
});

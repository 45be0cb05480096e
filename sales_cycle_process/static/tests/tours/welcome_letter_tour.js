/** @odoo-module **/
// A salesperson prints the welcome letter of a confirmed order from its After-Sales tab.
import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("scp_welcome_letter_tour", {
    steps: () => [
        {
            content: "Open the After-Sales tab of the order",
            trigger: ".o_form_view .o_notebook .nav-link:contains('After-Sales')",
            run: "click",
        },
        {
            content: "The letter goes into the box with the product",
            trigger: ".o_field_widget[name=welcome_letter_mode]:contains('Print and box')",
        },
        {
            content: "Print the welcome letter",
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_print_welcome_letter]",
            run: "click",
        },
        {
            content: "Back on the order, no error",
            // the PDF is rendered by wkhtmltopdf first: on a loaded machine that takes more than 10 s
            timeout: 60000,
            trigger: "body:not(:has(.o_error_dialog)) .o_form_view .o_statusbar_buttons button[name=action_print_welcome_letter]:enabled",
        },
    ],
});

/** @odoo-module **/
// Copyright 2026 sales_cycle_process contributors
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
// A sales manager opens a quotation whose QPA waits for them and approves it with a comment.
import {registry} from "@web/core/registry";

registry.category("web_tour.tours").add("scp_qpa_approve_tour", {
    steps: () => [
        {
            content: "The quotation waits for validation: approve the QPA",
            trigger: ".o_form_view .alert-warning button[name=validate_tier]",
            run: "click",
        },
        {
            content: "Write the approval comment",
            trigger: ".modal .o_field_widget[name=comment] input",
            run: "edit Approved in the tour",
        },
        {
            content: "Confirm the approval",
            trigger: ".modal button[name=add_comment]",
            run: "click",
        },
        {
            content: "The quotation shows the validation done",
            trigger: ".o_form_view .alert-success:contains(validated)",
        },
    ],
});

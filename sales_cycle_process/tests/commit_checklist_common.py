"""A deal whose commit checklist is complete: the four ticks and a quotation that asks no special discount."""


def complete_commit_checklist(env, leads):
    """Tick the four checklist items of ``leads`` (as the superuser) and give each a quotation at list price
    (it needs no quote price approval, so its special discount counts as approved): their five checklist
    items are true. Returns the quotations."""
    leads.write(
        {
            "commit_config_final": True,
            "commit_end_user_signed": True,
            "commit_integrator_signed": True,
            "commit_partner_ready": True,
        }
    )
    product = env["product.product"].create(
        {"name": "Checklist Machine", "list_price": 1000.0, "type": "consu"}
    )
    orders = env["sale.order"].create(
        [
            {
                "partner_id": lead.partner_id.id,
                "user_id": lead.user_id.id,
                "opportunity_id": lead.id,
                "order_line": [
                    (
                        0,
                        0,
                        {
                            "product_id": product.id,
                            "product_uom_qty": 1,
                            "price_unit": 1000.0,
                            "tax_id": False,
                        },
                    )
                ],
            }
            for lead in leads
        ]
    )
    leads.invalidate_recordset()
    assert all(leads.mapped("commit_reliable")), "the checklist of these deals is complete"
    return orders

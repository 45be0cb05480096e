from datetime import date

from freezegun import freeze_time

from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestShipmentDateFromDelivery(TransactionCase):
    def test_validated_delivery_sets_the_shipment_date(self):
        product = self.env["product.product"].create(
            {"name": "Analyzer X200", "is_storable": True, "list_price": 100}
        )
        warehouse = self.env["stock.warehouse"].search([("company_id", "=", self.env.company.id)], limit=1)
        self.env["stock.quant"]._update_available_quantity(product, warehouse.lot_stock_id, 5)
        partner = self.env["res.partner"].create({"name": "Distri Parts GmbH"})
        order = self.env["sale.order"].create(
            {
                "partner_id": partner.id,
                "order_line": [(0, 0, {"product_id": product.id, "product_uom_qty": 2})],
            }
        )
        order.action_confirm()
        self.assertFalse(order.shipment_date, "Nothing shipped yet")
        picking = order.picking_ids
        self.assertEqual(picking.picking_type_code, "outgoing")
        with freeze_time("2026-05-04 10:00:00"):
            picking.move_ids.quantity = 2
            picking.move_ids.picked = True
            picking.button_validate()
        self.assertEqual(picking.state, "done")
        self.assertEqual(order.shipment_date, date(2026, 5, 4))

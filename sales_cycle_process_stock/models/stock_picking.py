from odoo import fields, models


class StockPicking(models.Model):
    _inherit = "stock.picking"

    def _action_done(self):
        res = super()._action_done()
        self._scp_set_shipment_date()
        return res

    def _scp_set_shipment_date(self):
        """The order's shipment date follows its last validated outgoing delivery."""
        dates = {}
        for picking in self.filtered(
            lambda p: p.state == "done" and p.picking_type_code == "outgoing" and p.sale_id
        ):
            day = fields.Date.context_today(picking, picking.date_done)
            order = picking.sale_id
            dates[order] = max(dates.get(order, day), day)
        for order, day in dates.items():
            if order.shipment_date != day:
                order.shipment_date = day

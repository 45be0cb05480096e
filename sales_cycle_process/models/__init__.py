from . import (
    corrective_action,
    product_template_aftersales,
    res_config_settings_aftersales,
    res_partner_aftersales,
    sale_order_after_sales,
)

# Building one2many lines: a flat legacy order with its products in one
# delimited string ("SKU:qty;SKU:qty") becomes a sale.order with its
# order_line records nested, products referenced by external id.
#
#   odf-transform -f order_lines.jq orders.ndjson
import "odf" as odf;

{
  id: (.number | odf::xmlid("legacy_order")),
  partner_id: (.customer | odf::m2o("legacy")),
  date_order: (.date | odf::datetime("%d/%m/%Y %H:%M")),
  order_line: [
    .items | split(";")[] | select(odf::is_empty | not) | split(":")
    | {product_id: (.[0] | odf::m2o("legacy_product")),
       product_uom_qty: (.[1] | odf::to_number(1))}
  ]
}

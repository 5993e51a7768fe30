# Renaming fields between Odoo versions, and dropping those that are gone:
# res.partner's 'mobile' became 'phone_mobile' in the target, 'customer'
# and 'supplier' flags (Odoo <= 12) became ranks.
#
#   odf-transform -f rename_fields.jq partners.ndjson
import "odf" as odf;

odf::rename({"mobile": "phone_mobile", "ref": "customer_ref"})
| .customer_rank = (if .customer then 1 else 0 end)
| .supplier_rank = (if .supplier then 1 else 0 end)
| del(.customer, .supplier)

# A legacy contact list (text everywhere, as a CSV export gives it) made
# into res.partner records with the odf module's helpers.
#
#   odf-transform -f legacy_contacts.jq contacts.ndjson
import "odf" as odf;

{
  id: (.code | odf::xmlid("legacy")),
  name: odf::concat(" "; .first_name, .last_name),
  is_company: (.is_company | odf::to_bool(false)),
  customer_rank: (if .customer | odf::to_bool(false) then 1 else 0 end),
  credit_limit: (.credit | odf::to_number(0)),
  lang: (.language | odf::map_value({"English": "en_US", "French": "fr_FR",
                                     "Dutch": "nl_BE"}; "en_US")),
  country_id: (.country | odf::m2o("base")),
  category_id: (.tags | odf::split_m2m("legacy_tag"; "|")),
  comment: (.note | odf::default(null)),
  date: (.since | odf::date("%d/%m/%Y"))
}

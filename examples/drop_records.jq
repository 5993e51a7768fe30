# Dropping records: archived partners, and partners without a name, are not
# migrated (a program outputs nothing for them). The rest go through as they
# are.
#
#   odf-transform -f drop_records.jq partners.ndjson
select(.active != false and ((.name // "") | length) > 0)

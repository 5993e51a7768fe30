# The seed's partner migration: a prefix on every name, every other field
# mapped one to one.
#
#   odf-export -c source.conf -m res.partner | odf-transform -f partner_migrator.jq |
#       odf-import -c staging.conf -m res.partner
.name = "[STAGING] " + .name

# Remapping external ids: records exported from the source database carry
# __export__.* ids; in the target they live under the module prefix given
# with --arg prefix (default "migr"). Relations are remapped the same way;
# ids of real modules (base.be, base.main_company) are kept.
#
#   odf-transform -f remap_xmlids.jq --arg prefix legacy partners.ndjson
import "odf" as odf;

($ARGS.named.prefix // "migr") as $prefix
| def remap: if (.id? // . | tostring | startswith("__export__.")) then odf::reprefix($prefix) else . end;
  .id |= remap
| .parent_id |= (if . == null then null else remap end)
| .category_id |= (if . == null then null else map(remap) end)

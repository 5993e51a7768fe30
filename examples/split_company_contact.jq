# Splitting one record into two: a legacy "customer" row holds both the
# company and its contact person. Out come the company, then the person
# linked to it by external id (zero, one or many outputs per record are
# fine: each is one line).
#
#   odf-transform -f split_company_contact.jq customers.ndjson
import "odf" as odf;

(.code | odf::xmlid("legacy")) as $company
| {id: $company, name: .company, is_company: true,
   country_id: (.country | odf::m2o("base"))},
  (select(.contact | odf::is_empty | not)
   | {id: ($company + "_contact"), name: .contact, is_company: false,
      email: .email, parent_id: {id: $company}})

# odf: helpers for odf-transform programs, the jq way of odoo-data-flow's
# mappers. Use with:  import "odf" as odf;   then  odf::to_xmlid  etc.
# Every helper is described in odf-transform(1), section "THE ODF MODULE".
module {"name": "odf", "version": "1"};

# White space at both ends removed (jq 1.6 has no trim); non-strings as is.
def trim:
  if type == "string" then sub("^\\s+"; "") | sub("\\s+$"; "") else . end;

# Empty: null, false (Odoo's "no value"), a string of only white space,
# an empty array or object.
def is_empty:
  . == null or . == false or . == [] or . == {}
  or (type == "string" and (trim == ""));

# The input, or v when the input is empty.
def default(v): if is_empty then v else . end;

# The non-empty values of f, as strings, joined with sep; "" when none.
def concat(sep; f): [f | select(is_empty | not) | tostring] | join(sep);

# All values of f joined with sep, or null when any of them is empty.
def concat_all(sep; f):
  [f] as $v
  | if any($v[]; is_empty) then null else $v | map(tostring) | join(sep) end;

# The value looked up in the object m (by its text), or d when absent.
def map_value(m; d):
  tostring as $k | m as $m | if $m | has($k) then $m[$k] else d end;

# The same, and a value not in m is an error for the record.
def map_value(m):
  tostring as $k | m as $m
  | if $m | has($k) then $m[$k]
    else error("odf::map_value: \(tojson) is not in the map") end;

# A string's number, '.' or ',' as the decimal mark ("12,5"), white space
# around ignored; null when it holds none. (No try in these helpers: in jq
# 1.6 a try on the right of |= catches its break, and the field is deleted.)
def _number_text:
  (trim | gsub(","; ".")) as $t
  | if $t | test("^[+-]?([0-9]+([.][0-9]*)?|[.][0-9]+)$")
    then $t | ltrimstr("+") | tonumber else null end;

# A number from a number or a string with '.' or ',' decimals ("12,5");
# null when empty; an error when it is no number.
def to_number:
  if type == "number" then .
  elif is_empty then null
  else (if type == "string" then _number_text else null end) as $n
    | if $n == null then error("odf::to_number: \(tojson) is not a number") else $n end
  end;

# The same, with d for what is empty or no number.
def to_number(d):
  (if type == "number" then . elif type == "string" then _number_text else null end) as $n
  | if $n == null then d else $n end;

# The yes/no words, lower case (an object lookup: jq 1.6's index on arrays
# leaks at each call).
def _bool_words:
  {"1": true, "true": true, "t": true, "yes": true, "y": true, "on": true,
   "x": true, "oui": true, "ja": true, "si": true,
   "0": false, "false": false, "f": false, "no": false, "n": false,
   "off": false, "non": false, "nein": false};

# The boolean a boolean, a number or a yes/no word stands for, or null.
def _bool_value:
  if type == "boolean" then .
  elif type == "number" then . != 0
  elif type == "string" then
    (trim | ascii_downcase) as $k | _bool_words | if has($k) then .[$k] else null end
  else null end;

# A boolean from a boolean, a number (0 is false) or a yes/no-style string
# (1 true t yes y on x oui ja si / 0 false f no n off non nein, any case);
# null when empty (false stays false); an error for anything else.
def to_bool:
  if type == "boolean" then .
  elif is_empty then null
  else _bool_value as $b
    | if $b == null then error("odf::to_bool: \(tojson) is not a yes or a no") else $b end
  end;

# The same, with d for what is empty or not recognised (a no stays false).
def to_bool(d): _bool_value as $b | if $b == null then d else $b end;

# A string made fit for an external id: ',', '|', ' ' and newlines become
# '_' (the '.' between module and name stays), ends trimmed.
def to_xmlid:
  tostring
  | explode | map(if . == 44 or . == 124 or . == 32 or . == 10 then 95 else . end)
  | implode | trim;

# "prefix.<value as xmlid>" ('.' not doubled); null when the value is empty.
def xmlid(prefix):
  if is_empty then null
  else (prefix | if endswith(".") then . else . + "." end) + to_xmlid end;

# A many2one reference {"id": "prefix.value"}; null when empty.
def m2o(prefix): xmlid(prefix) | if . == null then null else {id: .} end;

# Many2many references [{"id": ...}] from an array of values or one value;
# empty values are left out.
def m2m(prefix):
  [(if type == "array" then .[] else . end) | m2o(prefix) | select(. != null)];

# Many2many references from a string of values separated by sep.
def split_m2m(prefix; sep):
  if is_empty then [] else [tostring | split(sep)[] | trim] | m2m(prefix) end;
def split_m2m(prefix): split_m2m(prefix; ",");

# An external id ("module.name", or {"id": ...}, or an array of those) moved
# to another module: "prefix.name". Keeps the shape it was given.
def reprefix(prefix):
  def one: (prefix | rtrimstr(".")) + "." + (split(".") | if length > 1 then .[1:] else . end | join("."));
  if type == "array" then map(reprefix(prefix))
  elif type == "object" and has("id") then .id |= (if type == "string" then one else . end)
  elif type == "string" then one
  else . end;

# Keys renamed by the object m ({"old": "new"}); others kept.
def rename(m): m as $m | with_entries(.key |= ($m[.] // .));

# A date or date-time string read with the strptime format from and
# written with the strftime format to (Odoo: "%Y-%m-%d", "%Y-%m-%d %H:%M:%S");
# null when empty; an error when it does not match or is no real date. A
# format without the day reads the first of the month (strptime leaves a
# day 0); the weekday and the day of the year are worked out again.
def date(from; to):
  if is_empty then null
  else trim as $s
    | $s | strptime(from) | if .[2] == 0 then .[2] = 1 else . end
    | (mktime | gmtime) as $t
    | if $t[0:3] != .[0:3]
      then error("odf::date: \($s | tojson) is not a valid date") else $t | strftime(to) end
  end;
def date(from): date(from; "%Y-%m-%d");
def datetime(from): date(from; "%Y-%m-%d %H:%M:%S");

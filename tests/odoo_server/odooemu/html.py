"""A small stand-in for odoo.tools.html_sanitize.

What the transcripts show: plain text written to an html field reads back
wrapped in ``<p>...</p>`` (lxml wraps loose inline content), newlines and
quotes kept verbatim, a bare ``&`` escaped to ``&amp;``, harmless inline
tags (``<b>``) kept.  Scripts, styles and event handler attributes are
dropped as Odoo does.
"""

from html import escape
from html.parser import HTMLParser

BLOCK = {"p", "div", "ul", "ol", "table", "h1", "h2", "h3", "h4", "h5", "h6",
         "blockquote", "pre", "section", "article", "header", "footer", "hr"}
VOID = {"br", "hr", "img", "input", "col", "wbr"}
DROP_CONTENT = {"script", "style", "iframe", "object", "embed"}


class _Sanitizer(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out = []
        self.skip = 0
        self.first_is_block = None

    def _mark(self, block):
        if self.first_is_block is None:
            self.first_is_block = block

    def handle_starttag(self, tag, attrs):
        if tag in DROP_CONTENT:
            self.skip += 1
            return
        if self.skip:
            return
        self._mark(tag in BLOCK)
        kept = []
        for k, v in attrs:
            if k.startswith("on"):
                continue
            if v is not None and k in ("href", "src") and v.strip().lower().startswith("javascript:"):
                continue
            kept.append(' %s="%s"' % (k, escape(v or "", quote=True)))
        self.out.append("<%s%s>" % (tag, "".join(kept)))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if tag in DROP_CONTENT:
            self.skip = max(0, self.skip - 1)
            return
        if self.skip or tag in VOID:
            return
        self.out.append("</%s>" % tag)

    def handle_data(self, data):
        if self.skip:
            return
        if data.strip():
            self._mark(False)
        self.out.append(escape(data, quote=False))


def sanitize(value):
    if value is None or value is False:
        return None
    value = str(value)
    if not value.strip():
        return value
    parser = _Sanitizer()
    parser.feed(value)
    parser.close()
    body = "".join(parser.out)
    if not parser.first_is_block:
        body = "<p>%s</p>" % body
    return body

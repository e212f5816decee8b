"""Values a hostile or careless source may put into the data (names, addresses, websites...),
shared by the tests of every output that shows them (static maps, the map page, the embed).

Each would run something or change the page if it were read as code or markup: Jinja2 template
syntax (folium renders templates), HTML with event handlers, a closing </script>, links with
another scheme than http(s) written the ways browsers still accept. The tests assert that each is
shown as typed and that `window.__pwned` stays undefined.
"""

# Evaluated by Jinja2 it shows 49.
EVALUATES = "{{7*7}} Boulangerie"
# Evaluated by Jinja2 it runs `echo PWNED` (the word is reversed in the payload, so that PWNED
# appears only if the command ran); written without quotes, which the escaping would change.
RUNS_A_COMMAND = (
    "{{ cycler.__init__.__globals__.os.popen((dict(echo=1)|first) ~ (dict()|join|center(1))"
    " ~ (dict(DENWP=1)|first|reverse)).read() }}"
)
COMMAND_OUTPUT = "PWNED"
# Read by Jinja2, these end the template with a syntax error (the whole map failed).
UNCLOSED_TAG = "Pain {% au chocolat"
UNCLOSED_COMMENT = "Fournil {# x"
# Read as HTML, these run a script.
IMG = '<img src=x onerror="window.__pwned=1">'
SVG = '<svg onload="window.__pwned=1">'
CLOSES_THE_SCRIPT = "</script><script>window.__pwned=1</script>"

NAMES = (EVALUATES, RUNS_A_COMMAND, UNCLOSED_TAG, UNCLOSED_COMMENT, IMG, SVG, CLOSES_THE_SCRIPT)

# Websites (and online shops) that must not become links: browsers strip the controls and spaces
# around an address, remove tabs and newlines inside it, and read its scheme in any case.
NOT_LINKS = (
    "javascript:window.__pwned=1",
    "JaVaScRiPt:window.__pwned=1",
    "java\tscript:window.__pwned=1",
    "java\nscript:window.__pwned=1",
    "data:text/html,<script>window.__pwned=1</script>",
    " javascript:window.__pwned=1",
    "\x01javascript:window.__pwned=1",
    "vbscript:window.__pwned=1",
)
# Websites that are links, and the address a browser follows.
LINKS = {
    "https://boulangerie.example.fr/pain?x=1&y=2": "https://boulangerie.example.fr/pain?x=1&y=2",
    "www.example.fr": "https://www.example.fr/",
    " HTTP://example.fr/a": "http://example.fr/a",
}

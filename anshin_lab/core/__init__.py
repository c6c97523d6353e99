"""The ground floor: what every other floor may use, importing nothing of the package.

- ``directive``: the directive's rules, one table per category, and the service's facts;
- ``errors``: the one error root (``AnshinError``) and its children, one-line Japanese messages;
- ``settings``: the typed settings, every field documented, ``ANSHIN_*`` overrides;
- ``granularity``: the ladder EXACT < BLOCK < CHOME < TOWN < CITY < PREF;
- ``clock``: Asia/Tokyo and UTC, once; ``dates``: 和暦 and export date text;
- ``numerals``: Japanese numerals; ``glossary``: Japanese headers and vocabularies → English names;
- ``files``: private atomic writes; ``geo``: the coordinate systems.

Submodules are imported by name (``from anshin_lab.core.directive import category_rule``).
"""

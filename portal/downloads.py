"""Files the portal hands out: CSV that a spreadsheet cannot run, and attachment headers
whose file name cannot break them (RFC 6266)."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable
from decimal import Decimal
from urllib.parse import quote

from flask import Response

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
ATTR_CHARS = "!#$&+-.^_`|~"  # RFC 5987 attr-char besides letters and digits


def safe_cell(value) -> str | int | float | Decimal:
    """Spreadsheets run text cells starting with = + - @ (or a tab or line break) as formulas;
    quote them. Numbers stay numbers, so a negative one is not mangled."""
    if isinstance(value, int | float | Decimal):
        return value
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_text(rows: Iterable[Iterable]) -> str:
    """Rows (the header first) as CSV, every cell neutralised: the one CSV writer."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerows([safe_cell(v) for v in row] for row in rows)
    return out.getvalue()


def _printable(name: str) -> str:
    return "".join(c for c in name if unicodedata.category(c)[0] not in "CZ" or c == " ")


def content_disposition(filename: str) -> str:
    """`attachment` with an ASCII `filename` any browser reads and, when the name is more
    than that, the exact one in `filename*` (RFC 6266, RFC 5987). No control characters."""
    name = _printable(filename).strip() or "download"
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    fallback = re.sub(r"[^A-Za-z0-9._-]+", "-", ascii_name).strip("-") or "download"
    value = f'attachment; filename="{fallback}"'
    if fallback != name:
        value += f"; filename*=UTF-8''{quote(name, safe=ATTR_CHARS)}"
    return value


def attachment(body: str | bytes, filename: str, mimetype: str) -> Response:
    """A download response named `filename`."""
    return Response(
        body, mimetype=mimetype, headers={"Content-Disposition": content_disposition(filename)}
    )

"""Time DOCX readers against the floor (unzip + lxml parse of word/document.xml).

    .venv/bin/python bench/bench_parse.py [--repeat N] [files...]

Per file, best of N runs in one process: floor, tonghop read_docx, tonghop parse_report
(when the rest of the parser is importable), python-docx (load + every paragraph and cell
text), mammoth.convert_to_html, docx2python. Also a "×100 body" file made by repeating the
body of the first sample 100 times. Prints absolute ms (process CPU time, best of N) and the
ratio to the floor.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

from lxml import etree

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
SAMPLES = REPO.parent / "shared" / "samples"


def floor(data: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        etree.fromstring(zf.read("word/document.xml"))


def tonghop_read(data: bytes) -> None:
    from parsers.docx import read_docx

    read_docx(data)


def make_parse_report() -> Callable[[bytes], None] | None:
    try:
        from parsers.campaign import campaign_from_toml
        from parsers.report import analyse_document, parse_report  # noqa: F401
        from parsers.structure import structure_document  # noqa: F401
    except ImportError:
        return None
    toml = REPO / "config" / "campaign-ct07-2022.toml"
    try:
        campaign = campaign_from_toml(toml.read_text(encoding="utf-8"))
    except Exception:  # the campaign loader's signature may differ; skip rather than fail
        try:
            campaign = campaign_from_toml(toml)
        except Exception:
            return None

    def run(data: bytes) -> None:
        parse_report(data, "bench.docx", campaign)

    return run


def make_read_structure() -> Callable[[bytes], None] | None:
    """read_docx + structure_document: what issue 2's 3x-the-floor target covers (the header,
    statistics table and indicators that parse_report adds are left out)."""
    try:
        from parsers.campaign import campaign_from_toml
        from parsers.docx import read_docx
        from parsers.structure import structure_document
    except ImportError:
        return None
    toml = REPO / "config" / "campaign-ct07-2022.toml"
    campaign = campaign_from_toml(toml.read_text(encoding="utf-8"))

    def read_structure(data: bytes) -> None:
        structure_document(read_docx(data), campaign)

    return read_structure


def python_docx(data: bytes) -> None:
    import docx

    document = docx.Document(io.BytesIO(data))
    out = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                out.append(cell.text)


def mammoth_html(data: bytes) -> None:
    import mammoth

    mammoth.convert_to_html(io.BytesIO(data))


def docx2python_read(data: bytes) -> None:
    from docx2python import docx2python

    with docx2python(io.BytesIO(data)) as result:
        result.text  # noqa: B018


def times_body(data: bytes, n: int) -> bytes:
    """The same package with the body content repeated n times (sectPr kept once)."""
    src = zipfile.ZipFile(io.BytesIO(data))
    xml = src.read("word/document.xml")
    start = xml.index(b"<w:body>") + len(b"<w:body>")
    end = xml.rindex(b"</w:body>")
    inner = xml[start:end]
    sect = inner.rfind(b"<w:sectPr")
    content, tail = (inner[:sect], inner[sect:]) if sect != -1 else (inner, b"")
    new = xml[:start] + content * n + tail + xml[end:]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            out.writestr(info, new if info.filename == "word/document.xml" else src.read(info))
    return buf.getvalue()


def best(fn: Callable[[bytes], None], data: bytes, repeat: int) -> float | None:
    try:
        fn(data)  # warm-up (imports, caches)
    except Exception as exc:
        print(f"  {fn.__name__}: {type(exc).__name__}: {exc}", file=sys.stderr)
        return None
    times = []
    for _ in range(repeat):
        # CPU time of this process: stable on a shared machine, equal to wall time when idle
        start = time.process_time()
        fn(data)
        times.append(time.process_time() - start)
    return min(times) * 1000


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("files", nargs="*", type=Path)
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--big-repeat", type=int, default=3)
    ap.add_argument("--readers", help="comma-separated subset of the readers (floor is kept)")
    args = ap.parse_args()
    files = args.files or sorted((SAMPLES / "docs").glob("*.docx"))
    if not files:
        print("no .docx files given and no samples found", file=sys.stderr)
        return 2
    readers: list[tuple[str, Callable[[bytes], None]]] = [
        ("floor", floor),
        ("read_docx", tonghop_read),
    ]
    read_structure = make_read_structure()
    if read_structure is not None:
        readers.append(("read+structure", read_structure))
    report = make_parse_report()
    if report is not None:
        readers.append(("parse_report", report))
    readers += [("python-docx", python_docx), ("mammoth", mammoth_html)]
    try:
        import docx2python  # noqa: F401

        readers.append(("docx2python", docx2python_read))
    except ImportError:
        print("docx2python is not installed: left out", file=sys.stderr)
    if args.readers:
        wanted = {"floor", *args.readers.split(",")}
        readers = [(name, fn) for name, fn in readers if name in wanted]
    inputs = [(f.name, f.read_bytes(), args.repeat) for f in files]
    inputs.append((f"{files[0].name} x100", times_body(inputs[0][1], 100), args.big_repeat))

    names = [name for name, _ in readers]
    print(f"{'file':<16}" + "".join(f"{n:>14}" for n in names) + "   (ms; ratio to floor)")
    ratios: dict[str, list[float]] = {n: [] for n in names}
    big: dict[str, float] = {}
    for index, (label, data, repeat) in enumerate(inputs):
        row = []
        base = None
        for name, fn in readers:
            ms = best(fn, data, repeat)
            if name == "floor":
                base = ms
            if ms is None:
                row.append(f"{'n/a':>14}")
                continue
            ratio = ms / base if base else float("nan")
            if index == len(inputs) - 1:
                big[name] = ratio  # the ×100 file is reported on its own
            else:
                ratios[name].append(ratio)
            row.append(f"{ms:8.2f} {ratio:4.1f}x")
        print(f"{label:<16}" + "".join(row))
    print()
    for name in names[1:]:
        if ratios[name]:
            values = sorted(ratios[name])
            median = statistics.median(values)
            x100 = f"{big[name]:.2f}x" if name in big else "n/a"
            print(
                f"{name:<14} ratio to floor: samples median {median:.2f}x, "
                f"max {values[-1]:.2f}x; x100 file {x100}"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

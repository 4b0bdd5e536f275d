"""Time indicator extraction per sample report and per 10k words of generated prose.

Run: .venv/bin/python bench/bench_indicators.py [--repeat N]
Prints, per sample .docx: words, read_docx ms, structure ms, extract_facts ms (cold: the
per-clause memo emptied before each run; warm: boilerplate already seen); then the
same for a large generated text. spaCy import and pipeline build are timed separately
(they happen once per process).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from parsers.model import Segment  # noqa: E402
from pipeline.config import load_campaign  # noqa: E402

SAMPLES = REPO.parent / "shared" / "samples" / "docs"

PHRASES = [
    "Triển khai trên {a} hội nghị chuyên đề với trên {b} người dự",
    "tuyên truyền lồng ghép trên {a} cuộc với hơn {b} người tham dự",
    "Thực hiện Quyết định số 52/2016/QĐ-TTg ngày 05/9/2016 của Thủ tướng Chính phủ",
    "100% đảng viên trong chi bộ nắm được nội dung Chỉ thị số 07-CT/TW",
    "Kinh phí đầu tư giai đoạn 2016 - 2021 là {c} triệu đồng",
    "Đội ngũ làm công tác tuyên truyền chủ yếu kiêm nhiệm, ít được đào tạo, bồi dưỡng chuyên sâu",
    "Treo {a} băng rôn, {b} pa nô tại trụ sở cơ quan",
    "Việc nắm bắt, dự báo tình hình tư tưởng, dư luận xã hội có lúc chưa sâu sát",
]


def best_ms(fn, repeat: int, before=None) -> float:
    best = float("inf")
    for _ in range(repeat):
        if before is not None:
            before()
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best * 1000


def generated_text(words: int, seed: int = 7) -> str:
    rnd = random.Random(seed)
    out, n = [], 0
    while n < words:
        s = rnd.choice(PHRASES).format(
            a=f"{rnd.randint(1, 99):,}".replace(",", "."),
            b=f"{rnd.randint(100, 200000):,}".replace(",", "."),
            c=rnd.randint(10, 999),
        )
        out.append(s + ".")
        n += len(s.split())
    return " ".join(out)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=20)
    args = ap.parse_args()

    t0 = time.perf_counter()
    import spacy  # noqa: F401

    t1 = time.perf_counter()
    from parsers.indicators import extract_facts, matcher_for

    campaign = load_campaign()
    matcher = matcher_for(campaign)
    cold = matcher._clause_cache.clear  # time without the per-clause memo
    t2 = time.perf_counter()
    print(f"spaCy import {1000 * (t1 - t0):.0f} ms; pipeline + matcher build "
          f"{1000 * (t2 - t1):.0f} ms (once per process)")

    try:
        from parsers.docx import read_docx
        from parsers.structure import structure_document
    except ImportError as exc:
        print(f"samples skipped: {exc}")
        read_docx = None
    if read_docx is not None and SAMPLES.is_dir():
        print(f"{'doc':8} {'words':>6} {'facts':>5} {'read ms':>8} {'struct ms':>9} "
              f"{'extract ms':>10} {'ms/10k words':>12} {'warm ms':>8}")
        tot_words = tot_extract = tot_read = 0.0
        for path in sorted(SAMPLES.glob("*.docx")):
            data = path.read_bytes()
            doc = read_docx(data)
            segs = structure_document(doc, campaign).segments
            words = sum(len(s.text.split()) for s in segs)
            read_ms = best_ms(lambda d=data: read_docx(d), args.repeat)
            struct_ms = best_ms(lambda d=doc: structure_document(d, campaign), args.repeat)
            ext_ms = best_ms(lambda s=segs: extract_facts(s, campaign), args.repeat, cold)
            warm_ms = best_ms(lambda s=segs: extract_facts(s, campaign), args.repeat)
            facts = len(extract_facts(segs, campaign))
            tot_words += words
            tot_extract += ext_ms
            tot_read += read_ms
            print(f"{path.stem:8} {words:6d} {facts:5d} {read_ms:8.2f} {struct_ms:9.2f} "
                  f"{ext_ms:10.2f} {ext_ms * 10000 / max(1, words):12.1f} {warm_ms:8.2f}")
        n = len(list(SAMPLES.glob("*.docx")))
        print(f"mean per document: extract (cold) {tot_extract / n:.2f} ms, read_docx {tot_read / n:.2f} ms;"
              f" extract {tot_extract * 10000 / tot_words:.1f} ms per 10k words")

    for words in (10_000, 100_000):
        text = generated_text(words)
        segs = [Segment(p, "P2.I.1") for p in text.split(". ")]
        ms = best_ms(lambda s=segs: extract_facts(s, campaign), max(3, args.repeat // 5), cold)
        facts = len(extract_facts(segs, campaign))
        print(f"generated {words} words: {ms:.1f} ms, {facts} facts, "
              f"{ms * 10000 / words:.1f} ms per 10k words")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

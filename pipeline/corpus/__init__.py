"""Realistic generated intake data: unit reports (DOCX + truth) and the emails carrying them.

Used as the product's embedded demo (`tonghop demo`), by tests and by benchmarks.
"""

from pipeline.corpus.generate import (
    Corpus,
    GeneratedEmail,
    GeneratedReport,
    as_of_after_deadline,
    generate_corpus,
)

__all__ = ["Corpus", "GeneratedEmail", "GeneratedReport", "as_of_after_deadline", "generate_corpus"]

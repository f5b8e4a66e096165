"""Rewrite the tables of docs/mhsds.md from the MHSDS extract's definitions."""

from ipsworks.core.generated_docs import RewriteDocsCommand
from ipsworks.outcomes.mhsds import docs


class Command(RewriteDocsCommand):
    help = "Rewrite docs/mhsds.md's tables from ipsworks.outcomes.mhsds (--check: only compare)."
    module = docs

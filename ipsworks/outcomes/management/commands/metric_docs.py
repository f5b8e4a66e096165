"""Rewrite the table of metrics in docs/metrics.md from the registry."""

from ipsworks.core.generated_docs import RewriteDocsCommand
from ipsworks.outcomes import metric_docs


class Command(RewriteDocsCommand):
    help = "Rewrite docs/metrics.md's table from the metric registry (--check: only compare)."
    module = metric_docs

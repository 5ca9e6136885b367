"""The service's exceptions. Every one has a short, fixed `reason`.

    NewswireError
    ├── ArticleError          input that cannot become an Article (dead-lettered)
    │   ├── InvalidJsonError  not UTF-8 JSON
    │   ├── SchemaError       JSON that breaks the input contract
    │   └── TooLargeError     message or body over the configured limit
    ├── EnrichmentError       the NLP pipeline raised on a valid article (dead-lettered)
    ├── InputError            a file given on the command line cannot be read as text
    ├── SettingsError         a NEWSWIRE_* variable has a value we cannot use
    └── EvaluationError       a gold file or corpus `newswire eval` cannot use (exit status 2)

The `reason` doubles as the dead-letter reason and as a metric label, so it
must stay a short, low-cardinality string.
"""

from __future__ import annotations


class NewswireError(Exception):
    reason = "error"


class ArticleError(NewswireError):
    reason = "invalid_article"


class InvalidJsonError(ArticleError):
    reason = "invalid_json"


class SchemaError(ArticleError):
    reason = "schema"


class TooLargeError(ArticleError):
    reason = "too_large"


class EnrichmentError(NewswireError):
    reason = "enrichment_failed"


class InputError(NewswireError):
    reason = "input"


class SettingsError(NewswireError):
    reason = "settings"


class EvaluationError(NewswireError):
    reason = "evaluation"

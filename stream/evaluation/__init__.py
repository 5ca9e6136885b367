"""`newswire eval`: score the service's output against gold files, and build gold files.

Scorers (`quotes`, `entities`) are pure functions over plain records; the corpus
builders (`corpora/`) read public corpora from git directories. Nothing here runs in
the worker.
"""

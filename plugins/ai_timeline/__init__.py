"""The AI timeline core: YAML events in, a validated event graph and site pages out.

Nothing in this package imports MkDocs except `mkdocs_plugin`, the adapter.
"""

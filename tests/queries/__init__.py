"""Tests of the named queries, one module per curation area."""

"""attgraph tests."""

"""The web shell: a FastAPI application around a :class:`~attgraph.graph.KnowledgeGraph`."""

"""pydantic models of every studsa file, one module per deliverable."""

"""Use cases: load files, run the pure core, save; return results, never print."""

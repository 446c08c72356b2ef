"""The demo dataset, seeded through the engine."""

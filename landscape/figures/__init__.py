"""Widget callbacks and chapter figures: plain functions ``params -> matplotlib Figure``, one module per topic."""

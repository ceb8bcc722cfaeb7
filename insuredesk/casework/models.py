"""Models of the casework app."""

"""Pages of the casework app: `portal` for customers, `console` for staff."""

portal: list = []
console: list = []

"""Pages of the consultation app: `portal` for customers, `console` for staff."""

portal: list = []
console: list = []

"""Pages of the documents app: `portal` for customers, `console` for staff."""

portal: list = []
console: list = []

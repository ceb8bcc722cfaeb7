"""Pages of the complaints app: `portal` for customers, `console` for staff."""

portal: list = []
console: list = []

"""Pages of the claims app: `portal` for customers, `console` for staff."""

portal: list = []
console: list = []

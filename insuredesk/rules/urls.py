"""Pages of the rules app: `portal` for customers, `console` for staff."""

portal: list = []
console: list = []

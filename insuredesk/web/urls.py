"""Pages of the web app: `portal` for customers, `console` for staff."""

portal: list = []
console: list = []

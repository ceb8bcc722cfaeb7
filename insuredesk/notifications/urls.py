"""Pages of the notifications app: `portal` for customers, `console` for staff."""

portal: list = []
console: list = []

"""Application pages: apply and follow one's own in the portal; underwrite in the console."""

portal: list = []
console: list = []

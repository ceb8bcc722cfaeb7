"""InsureDesk: an insurer's customer service desk, pre-sale to after-sale."""

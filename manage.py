#!/usr/bin/env python
"""Django's manage.py; `insuredesk` is the same command once installed."""

from insuredesk.__main__ import main

if __name__ == "__main__":
    main()
